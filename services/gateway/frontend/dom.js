// Building the page without innerHTML: every text goes in as text.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else if (name === "text") el.textContent = value;
    else el.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function field(label, name, attrs = {}) {
  const id = "f-" + name;
  return h("div", { class: "field" },
    h("label", { for: id, text: label }),
    h("input", { id, name, "aria-describedby": id + "-error", ...attrs }),
    h("p", { class: "error", id: id + "-error", "data-error-for": name, "aria-live": "polite" }));
}

export function show(...children) {
  const main = document.getElementById("main");
  main.replaceChildren(...children);
  main.focus();
}

export function message(el, text, kind = "info") {
  el.textContent = text;
  el.className = "msg " + kind;
}

// A refusal: the Indonesian text in the form's message, each field's error next to it.
export function showError(form, error, box) {
  form.querySelectorAll("[data-error-for]").forEach((p) => { p.textContent = ""; });
  form.querySelectorAll("[aria-invalid]").forEach((input) => input.removeAttribute("aria-invalid"));
  const fields = error.fields || {};
  for (const [name, messages] of Object.entries(fields)) {
    const target = form.querySelector(`[data-error-for="${name}"]`);
    const input = form.elements && form.elements.namedItem ? form.elements.namedItem(name) : null;
    if (input && input.setAttribute) input.setAttribute("aria-invalid", "true");
    const text = "Periksa isian ini" + (messages && messages.length ? ": " + [].concat(messages).join(" ") : ".");
    if (target) target.textContent = text;
  }
  message(box, error.message, "error");
}

// The role's first page after sign-in (and at "#/").
export function homeOf(role) {
  return { mitra: "#/status", admin_satker: "#/admin/kegiatan", pembina: "#/pembinaan",
    sekretariat: "#/pembinaan", superadmin: "#/admin/akun" }[role] || "#/akun";
}

// Navigate; the same hash again renders the page again.
export function go(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = hash;
}

// A form: fields, a submit button and a live message box. While onSubmit(data, box, form)
// runs the button is disabled (and stays so once the form is marked data-locked); the last
// refusal's messages are cleared first, and a refusal is shown by showError, after
// options.translate (e.g. the server's English field messages into Indonesian).
export function formElement(fields, submitText, onSubmit,
  { attrs = {}, before = [], translate = (error) => error } = {}) {
  const box = h("p", { class: "msg", role: "status", "aria-live": "polite" });
  const button = h("button", { type: "submit", text: submitText });
  const el = h("form", { novalidate: true, ...attrs }, ...before, ...fields, button, box);
  el.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    el.querySelectorAll("[data-error-for]").forEach((p) => { p.textContent = ""; });
    el.querySelectorAll("[aria-invalid]").forEach((input) => input.removeAttribute("aria-invalid"));
    message(box, "");
    try {
      await onSubmit(new FormData(el), box, el);
    } catch (error) {
      showError(el, translate(error), box);
    } finally {
      button.disabled = el.dataset.locked === "true";
    }
  });
  return el;
}

// A form that is the whole page, under its title.
export function form(title, fields, submitText, onSubmit, extra = []) {
  const el = formElement(fields, submitText, onSubmit);
  el.append(...extra);
  show(h("h1", { text: title }), el);
  return el;
}
