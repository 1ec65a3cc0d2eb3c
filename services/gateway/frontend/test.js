// Test day: book one session, start or resume the attempt, one question per screen, answers
// saved as chosen and queued in localStorage while offline. Nothing here knows a right answer.
import { api, ApiError, newKey, OfflineError } from "./api.js";
import { h, message, show } from "./dom.js";

const QUEUE = "sobat.answers.";
const net = () => document.getElementById("net");

function fmt(iso) { return new Date(iso).toLocaleString("id-ID"); }

export async function testDay(activityId) {
  const { data: apps } = await api("GET", "/me/applications");
  const app = apps.items.find((a) => a.activity_id === activityId);
  if (!app) { show(h("h1", { text: "Ujian" }), h("p", { text: "Pendaftaran tidak ditemukan." })); return; }
  const test = app.test || {};
  if (test.status === "not_booked" || !test.session_id) return bookingPage(activityId);
  if (test.status === "in_progress") { // a reload or another device: resume at once
    try { return runAttempt(await api("POST", `/test-sessions/${test.session_id}/attempt`, {})); } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
  }
  return startPage(activityId, test.session_id);
}

async function bookingPage(activityId) {
  const { data } = await api("GET", `/activities/${activityId}/test-sessions`);
  const box = h("p", { class: "msg", role: "status" });
  const list = data.items.map((session) => {
    const full = session.booked >= session.capacity;
    const button = h("button", { type: "button", disabled: full, "data-session": session.id,
      text: full ? "Penuh" : "Pilih sesi ini", onclick: () => confirmBooking(session, box, activityId) });
    return h("li", { class: "card" }, h("p", { text: `${fmt(session.starts_at)} – ${fmt(session.ends_at)}` }),
      h("p", { text: `Terisi ${session.booked} dari ${session.capacity}` }), button);
  });
  show(h("h1", { text: "Pilih sesi ujian" }),
    h("p", { class: "warn", role: "note", text: "Perhatian: sesi hanya dapat dipilih satu kali dan tidak dapat diubah." }),
    h("ul", { class: "plain" }, ...list), box);
}

function confirmBooking(session, box, activityId) {
  const yes = h("button", { type: "button", text: "Ya, pilih sesi ini", onclick: async () => {
    yes.disabled = true;
    try {
      await api("POST", `/test-sessions/${session.id}/booking`, {});
      startPage(activityId, session.id);
    } catch (error) { message(box, error.message, "error"); yes.disabled = false; }
  } });
  const dialog = h("div", { class: "confirm", role: "alertdialog", "aria-labelledby": "confirm-title" },
    h("p", { id: "confirm-title", text: `Pilih sesi ${fmt(session.starts_at)}? Pilihan ini tidak dapat diubah.` }),
    yes, h("button", { type: "button", class: "secondary", text: "Batal", onclick: () => dialog.remove() }));
  box.before(dialog);
  yes.focus();
}

function startPage(activityId, sessionId) {
  const box = h("p", { class: "msg", role: "status" });
  const start = h("button", { type: "button", text: "Mulai / lanjutkan ujian", onclick: async () => {
    start.disabled = true;
    try {
      const reply = await api("POST", `/test-sessions/${sessionId}/attempt`, {});
      runAttempt(reply);
    } catch (error) {
      message(box, error.status === 409 ? "Ujian belum dapat dimulai atau sesi sudah berakhir." : error.message, "error");
      start.disabled = false;
    }
  } });
  show(h("h1", { text: "Ujian kompetensi" }),
    h("p", { text: "Sesi Anda sudah dipilih. Waktu mengerjakan dihitung dari jam server." }), start, box);
}

function runAttempt(reply) {
  const attempt = reply.data;
  const id = attempt.attempt_id;
  const offset = reply.date ? Date.parse(reply.date) - Date.now() : 0; // server - phone
  const deadline = Date.parse(attempt.deadline);
  const saved = { ...(attempt.answers || {}) };
  const queueKey = QUEUE + id;
  const queue = () => JSON.parse(localStorage.getItem(queueKey) || "{}");
  const setQueue = (q) => localStorage.setItem(queueKey, JSON.stringify(q));
  Object.assign(saved, Object.fromEntries(Object.entries(queue()).map(([q, v]) => [q, v.option])));
  const questions = attempt.questions;
  let index = 0;
  let closed = false;

  const timer = h("p", { class: "timer", id: "timer", "aria-live": "off" });
  const state = h("p", { class: "saved", id: "save-state", role: "status", "aria-live": "polite" });
  const map = h("nav", { class: "map", "aria-label": "Peta soal" });
  const body = h("div", { class: "question" });
  const box = h("p", { class: "msg", role: "status" });

  function mapButtons() {
    const pending = queue();
    map.replaceChildren(...questions.map((q, i) => h("button", {
      type: "button", class: ["qmap", q.id in saved ? "answered" : "", q.id in pending ? "pending" : "",
        i === index ? "current" : ""].join(" "), "aria-current": i === index ? "step" : false,
      "aria-label": `Soal ${i + 1}` + (q.id in saved ? ", sudah dijawab" : ""),
      text: String(i + 1), onclick: () => { index = i; render(); } })));
  }

  function render() {
    const q = questions[index];
    const name = "q-" + q.id;
    body.replaceChildren(
      h("h2", { text: `Soal ${index + 1} dari ${questions.length}` }),
      h("p", { class: "qtext", text: q.text }),
      h("fieldset", {}, h("legend", { class: "sr-only", text: "Pilihan jawaban" }),
        ...q.options.map((text, i) => h("div", { class: "option" },
          h("input", { type: "radio", name, id: `${name}-${i}`, value: i, checked: saved[q.id] === i,
            disabled: closed, onchange: () => choose(q.id, i) }),
          h("label", { for: `${name}-${i}`, text })))),
      h("div", { class: "row" },
        h("button", { type: "button", class: "secondary", disabled: index === 0, text: "Sebelumnya",
          onclick: () => { index -= 1; render(); } }),
        h("button", { type: "button", class: "secondary", disabled: index === questions.length - 1,
          text: "Berikutnya", onclick: () => { index += 1; render(); } })));
    mapButtons();
  }

  function showState() {
    const waiting = Object.keys(queue()).length;
    state.textContent = waiting ? `${waiting} jawaban belum terkirim — akan dikirim otomatis` : "Semua jawaban tersimpan";
    state.className = "saved " + (waiting ? "pending" : "ok");
    state.dataset.pending = String(waiting);
  }

  const inFlight = new Set(); // keys of answers being sent now: never sent twice at once
  async function send(questionId, item) {
    if (inFlight.has(item.key)) return true;
    inFlight.add(item.key);
    try {
      await api("PUT", `/attempts/${id}/answers/${questionId}`, { option_index: item.option }, { key: item.key });
    } catch (error) {
      if (error instanceof OfflineError || (error instanceof ApiError && error.status >= 500)) {
        offline(true);
        return false;
      }
      const q = queue();
      if (q[questionId] && q[questionId].key === item.key) { delete q[questionId]; setQueue(q); }
      message(box, error.status === 409 ? "Waktu ujian sudah habis; jawaban tidak dapat diubah." : error.message, "error");
      return false;
    } finally {
      inFlight.delete(item.key);
    }
    const q = queue();
    if (q[questionId] && q[questionId].key === item.key) { delete q[questionId]; setQueue(q); }
    return true;
  }

  async function choose(questionId, option) {
    const item = { option, key: newKey() };
    const q = queue();
    q[questionId] = item;
    setQueue(q);
    saved[questionId] = option;
    showState();
    mapButtons();
    if (await send(questionId, item)) {
      offline(false);
      await flush();
    }
    mapButtons();
    showState();
  }

  let flushing = false;
  async function flush() {
    if (flushing) return;
    flushing = true;
    try {
      for (const [questionId, item] of Object.entries(queue())) {
        if (!(await send(questionId, item))) break;
      }
    } finally { flushing = false; }
    if (!Object.keys(queue()).length) offline(false);
    showState();
    mapButtons();
  }

  function offline(isOffline) {
    const banner = net();
    banner.hidden = !isOffline;
    banner.textContent = isOffline
      ? "Sambungan terputus. Jawaban Anda disimpan di ponsel ini dan dikirim otomatis saat tersambung lagi."
      : "";
  }

  function tick() {
    const left = Math.max(0, deadline - (Date.now() + offset));
    const minutes = Math.floor(left / 60000);
    const seconds = Math.floor((left % 60000) / 1000);
    timer.textContent = `Sisa waktu ${minutes}:${String(seconds).padStart(2, "0")}`;
    if (left === 0 && !closed) {
      closed = true;
      message(box, "Waktu habis. Jawaban yang tersimpan sudah dicatat.", "error");
      render();
    }
  }

  const submit = h("button", { type: "button", id: "submit", text: "Selesai dan kirim", onclick: () => {
    const unanswered = questions.filter((q) => !(q.id in saved)).length;
    const yes = h("button", { type: "button", text: "Ya, kirim", onclick: async () => {
      yes.disabled = true;
      await flush();
      if (Object.keys(queue()).length) { message(box, "Masih ada jawaban yang belum terkirim. Tunggu sambungan.", "error"); yes.disabled = false; return; }
      try {
        await api("POST", `/attempts/${id}/submit`, {});
        closed = true;
        localStorage.removeItem(queueKey);
        clearInterval(clock); clearInterval(retry);
        show(h("h1", { text: "Ujian terkirim" }),
          h("p", { class: "msg ok", role: "status", text: "Terima kasih. Jawaban Anda sudah terkirim. Tunggu pengumuman hasil." }),
          h("a", { href: "#/status", text: "Lihat status" }));
      } catch (error) { message(box, error.message, "error"); yes.disabled = false; }
    } });
    const dialog = h("div", { class: "confirm", role: "alertdialog", "aria-labelledby": "submit-title" },
      h("p", { id: "submit-title", text: `Kirim jawaban sekarang? ${unanswered} soal belum dijawab. Setelah dikirim jawaban tidak dapat diubah.` }),
      yes, h("button", { type: "button", class: "secondary", text: "Batal", onclick: () => dialog.remove() }));
    submit.after(dialog);
    yes.focus();
  } });

  const clock = setInterval(tick, 1000);
  const retry = setInterval(() => { if (Object.keys(queue()).length) flush(); }, 3000);
  const wentOffline = () => offline(true);
  window.addEventListener("online", flush);
  window.addEventListener("offline", wentOffline);
  window.addEventListener("hashchange", () => {
    clearInterval(clock); clearInterval(retry);
    window.removeEventListener("online", flush);
    window.removeEventListener("offline", wentOffline);
    offline(false);
  }, { once: true });
  show(h("h1", { text: "Ujian kompetensi" }), timer, state, body, map, submit, box);
  tick();
  render();
  showState();
  flush();
}
