// Accounts: sign-up, activation from the mail's link and a new activation mail, sign-in,
// forgotten password, change password (any role), the superadmin's accounts and service
// tokens, sign-out.
import { api, token } from "./api.js";
import { field, form, formElement, go, h, homeOf, message, show } from "./dom.js";

const ROLE_TEXT = {
  admin_satker: "Admin satker", pembina: "Pembina (anggota Tim Pembina)",
  sekretariat: "Sekretariat", superadmin: "Superadmin", mitra: "Calon mitra",
};

// The server's field messages (English) as Indonesian; unknown ones are kept as they are.
const FIELD_TEXT = [
  [/^Use at least (\d+) characters\.?$/, (m) => `Paling sedikit ${m[1]} karakter.`],
  [/^Use at most (\d+) characters\.?$/, (m) => `Paling banyak ${m[1]} karakter.`],
  [/^Use more than spaces\.?$/, () => "Jangan hanya berisi spasi."],
  [/most commonly used/, () => "Kata sandi ini termasuk yang paling sering dipakai; pilih yang lain."],
  [/e-mail address as the password/, () => "Jangan memakai alamat e-mail sebagai kata sandi."],
  [/NIK as the password/, () => "Jangan memakai NIK sebagai kata sandi."],
  [/^Fill in the full name/, () => "Isi nama lengkap."],
  [/^Unknown satker code/, () => "Kode satker tidak dikenal."],
  [/needs its satker code/, () => "Akun admin satker memerlukan kode satker."],
  [/4-digit BPS satker code/, () => "Isi 4 angka kode satker BPS."],
  [/^Missing data for required field/, () => "Wajib diisi."],
  [/^Field may not be null/, () => "Wajib diisi."],
  [/^Not a valid email address/, () => "Alamat e-mail tidak valid."],
  [/^Not a valid date/, () => "Tanggal tidak valid."],
  [/^Not a valid/, () => "Isian tidak valid."],
  [/^Must be one of|^Use one of/, () => "Pilih salah satu pilihan yang tersedia."],
  [/^Length must be|^Shorter than|^Longer than/, () => "Panjang isian tidak sesuai."],
];

// more: [pattern, (match) => text] pairs of a page's own, tried first.
export function indonesian(error, more = []) {
  for (const [name, messages] of Object.entries(error.fields || {})) {
    error.fields[name] = [].concat(messages).map((text) => {
      for (const [pattern, say] of [...more, ...FIELD_TEXT]) {
        const match = String(text).match(pattern);
        if (match) return say(match);
      }
      return text;
    });
  }
  return error;
}

// A form in a section of a page (a page with more than one form).
function panel(title, id, fields, submitText, onSubmit, extra = []) {
  return h("section", { class: "card", id }, h("h2", { id: id + "-title", text: title }),
    formElement(fields, submitText, onSubmit,
      { attrs: { "aria-labelledby": id + "-title" }, translate: indonesian }),
    ...extra);
}

function select(label, name, options, attrs = {}) {
  return h("div", { class: "field" },
    h("label", { for: "f-" + name, text: label }),
    h("select", { id: "f-" + name, name, "aria-describedby": `f-${name}-error`, ...attrs },
      ...options.map(([value, text]) => h("option", { value, text }))),
    h("p", { class: "error", id: `f-${name}-error`, "data-error-for": name, "aria-live": "polite" }));
}

// A dom.js field whose error (next to it) is read out with the input.
const described = (label, name, attrs = {}) =>
  field(label, name, { "aria-describedby": `f-${name}-error`, ...attrs });

const when = (iso) => (iso ? new Date(iso).toLocaleString("id-ID") : "-");

async function changePasswordPage() {
  if (!token.get()) { go("#/masuk"); return; }
  form("Ganti kata sandi", [
    described("Kata sandi sekarang", "current_password",
      { type: "password", autocomplete: "current-password", required: true }),
    described("Kata sandi baru (8–128 karakter)", "new_password",
      { type: "password", autocomplete: "new-password", required: true }),
  ], "Ganti kata sandi", async (data) => {
    try {
      await api("PUT", "/me/password", { current_password: data.get("current_password"),
        new_password: data.get("new_password") });
    } catch (error) {
      if (error.status === 403) {
        error.message = "Kata sandi lama salah.";
        error.fields = { current_password: [] };
      }
      throw indonesian(error);
    }
    // Every token issued before is refused from now on: sign in again with the new password.
    token.clear();
    go("#/masuk?sandi=diganti");
  }, [h("p", { class: "hint", text: "Setelah kata sandi diganti, Anda keluar dari semua perangkat dan perlu masuk lagi." })]);
}

async function accountsAdminPage() {
  if (!token.get()) { go("#/masuk"); return; }
  const tokens = h("div", { id: "service-tokens" });
  const refresh = async () => {
    const { data } = await api("GET", "/admin/service-tokens");
    if (!data.items.length) {
      tokens.replaceChildren(h("p", { text: "Belum ada token layanan." }));
      return;
    }
    tokens.replaceChildren(h("table", { class: "list" },
      h("caption", { text: `Token layanan (${data.total})` }),
      h("thead", {}, h("tr", {}, ...["Nama", "Satker", "Dibuat", "Berlaku sampai", "Tindakan"]
        .map((text) => h("th", { scope: "col", text })))),
      h("tbody", {}, ...data.items.map((item) => {
        const cell = h("td", {});
        const ask = h("button", { type: "button", class: "secondary", text: "Hapus",
          "aria-label": "Hapus token " + item.name, onclick: () => {
            const yes = h("button", { type: "button", text: "Ya, hapus",
              "aria-label": "Ya, hapus token " + item.name, onclick: async () => {
                yes.disabled = true;
                try {
                  await api("DELETE", "/admin/service-tokens/" + encodeURIComponent(item.id));
                  await refresh();
                } catch (error) { cell.append(h("p", { class: "msg error", text: error.message })); yes.disabled = false; }
              } });
            cell.replaceChildren(h("span", { text: "Token ini akan ditolak sejak dihapus. " }), yes,
              h("button", { type: "button", class: "secondary", text: "Batal",
                onclick: () => cell.replaceChildren(ask) }));
            yes.focus();
          } });
        cell.append(ask);
        return h("tr", { "data-token": item.id }, h("th", { scope: "row", text: item.name }),
          h("td", { text: item.satker_code }), h("td", { text: when(item.created_at) }),
          h("td", { text: when(item.expires_at) }), cell);
      }))));
  };
  const shown = h("div", { id: "new-token" });
  const account = panel("Buat akun", "buat-akun", [
    described("E-mail", "email", { type: "email", autocomplete: "off", required: true }),
    described("Nama lengkap", "full_name", { autocomplete: "off", required: true }),
    described("Kata sandi awal (8–128 karakter)", "password",
      { type: "password", autocomplete: "new-password", required: true }),
    select("Peran", "role", ["admin_satker", "pembina", "sekretariat", "superadmin"]
      .map((role) => [role, ROLE_TEXT[role]])),
    described("Kode satker (4 angka; wajib untuk admin satker)", "satker_code",
      { inputmode: "numeric", maxlength: 4, autocomplete: "off" }),
  ], "Buat akun", async (data, box, el) => {
    const body = Object.fromEntries(data);
    body.satker_code = body.satker_code.trim() || null;
    let made;
    try {
      made = (await api("POST", "/admin/accounts", body)).data;
    } catch (error) {
      if (error.status === 409) {
        error.message = "Alamat e-mail ini sudah dipakai akun lain.";
        error.fields = { email: [] };
      }
      throw error;
    }
    el.reset();
    message(box, `Akun ${made.email} (${ROLE_TEXT[made.role] || made.role}` +
      (made.satker_code ? `, satker ${made.satker_code}` : "") + ") dibuat dan langsung aktif.", "ok");
  });
  const service = panel("Token layanan", "token-layanan", [
    described("Nama sistem pemakai token", "name", { autocomplete: "off", required: true }),
    described("Kode satker pemilik sistem (4 angka)", "token_satker_code",
      { inputmode: "numeric", maxlength: 4, autocomplete: "off" }),
  ], "Buat token", async (data, box, el) => {
    let made;
    try {
      made = (await api("POST", "/admin/service-tokens",
        { name: data.get("name"), satker_code: data.get("token_satker_code") })).data;
    } catch (error) {
      if (error.fields && error.fields.satker_code) {
        error.fields = { ...error.fields, token_satker_code: error.fields.satker_code };
      }
      throw error;
    }
    el.reset();
    message(box, `Token untuk ${made.name} dibuat.`, "ok");
    shown.replaceChildren(h("div", { class: "confirm token-once" },
      h("label", { for: "token-once", text: "Token baru (hanya ditampilkan sekali ini; salin dan simpan sekarang)" }),
      h("input", { id: "token-once", readonly: true, value: made.token, autocomplete: "off", spellcheck: "false" })));
    await refresh();
  }, [shown, h("h3", { text: "Token yang berlaku" }), tokens]);
  show(h("h1", { text: "Akun dan token layanan" }), account, service);
  await refresh();
}

// The signed-in account (homeOf's page for a role without one of its own).
async function mePage() {
  if (!token.get()) { go("#/masuk"); return; }
  const { data } = await api("GET", "/me");
  show(h("h1", { text: "Akun saya" }),
    h("dl", { class: "facts" },
      h("dt", { text: "Nama" }), h("dd", { text: data.full_name }),
      h("dt", { text: "E-mail" }), h("dd", { text: data.email }),
      h("dt", { text: "Peran" }), h("dd", { text: ROLE_TEXT[data.role] || data.role }),
      data.satker_code ? [h("dt", { text: "Satker" }), h("dd", { text: data.satker_code })] : null),
    h("p", {}, h("a", { href: "#/ganti-sandi", text: "Ganti kata sandi" })));
}

const resendLink = () => h("p", {}, h("a", { href: "#/kirim-aktivasi", text: "Belum menerima e-mail aktivasi?" }));

export const accountPages = {
  "/daftar": () => form("Daftar akun", [
    described("Nama lengkap", "full_name", { autocomplete: "name", required: true }),
    described("E-mail", "email", { type: "email", autocomplete: "email", required: true }),
    described("Kata sandi (8–128 karakter)", "password",
      { type: "password", autocomplete: "new-password", required: true }),
  ], "Daftar", async (data, box) => {
    try {
      await api("POST", "/accounts", Object.fromEntries(data));
    } catch (error) { throw indonesian(error); }
    message(box, "Pendaftaran diterima. Buka e-mail Anda dan klik tautan aktivasi.", "ok");
  }, [resendLink()]),

  "/aktivasi": async ({ query }) => {
    const box = h("p", { class: "msg", role: "status", text: "Mengaktifkan akun…" });
    show(h("h1", { text: "Aktivasi akun" }), box);
    try {
      await api("POST", "/accounts/activate", { token: query.get("token") || "" });
      message(box, "Akun Anda aktif. Silakan masuk.", "ok");
      box.after(h("a", { class: "button", href: "#/masuk", text: "Masuk" }));
    } catch (error) {
      message(box, error.status === 400
        ? "Tautan aktivasi tidak berlaku atau sudah dipakai."
        : error.message, "error");
      box.after(h("p", {}, h("a", { class: "button", href: "#/kirim-aktivasi", text: "Minta e-mail aktivasi baru" })));
    }
  },

  "/kirim-aktivasi": () => form("Kirim ulang e-mail aktivasi", [
    described("E-mail", "email", { type: "email", autocomplete: "email", required: true }),
  ], "Kirim e-mail aktivasi", async (data, box) => {
    try {
      await api("POST", "/accounts/activation-mail", { email: data.get("email") });
    } catch (error) { throw indonesian(error); }
    message(box, "Jika akun ini menunggu aktivasi, e-mail aktivasi baru telah dikirim. Buka tautan di dalamnya.", "ok");
  }, [h("p", { class: "hint", text: "Tautan aktivasi berlaku 48 jam. Periksa juga folder spam." }),
    h("p", {}, h("a", { href: "#/masuk", text: "Kembali ke halaman masuk" }))]),

  "/masuk": ({ query }) => {
    const el = form("Masuk", [
      described("E-mail", "email", { type: "email", autocomplete: "email", required: true }),
      described("Kata sandi", "password",
        { type: "password", autocomplete: "current-password", required: true }),
    ], "Masuk", async (data) => {
      try {
        const { data: answer } = await api("POST", "/auth/token", Object.fromEntries(data));
        token.set(answer);
        go(homeOf(answer.role));
      } catch (error) {
        if (error.status === 401) error.message = "E-mail atau kata sandi salah.";
        if (error.status === 403) error.message = "Akun belum diaktifkan. Buka tautan di e-mail aktivasi.";
        throw indonesian(error);
      }
    }, [h("p", {}, h("a", { href: "#/lupa-sandi", text: "Lupa kata sandi?" })), resendLink()]);
    if (query && query.get("sandi") === "diganti") {
      message(el.querySelector(".msg"), "Kata sandi diganti. Silakan masuk lagi dengan kata sandi baru.", "ok");
    }
  },

  "/lupa-sandi": () => form("Lupa kata sandi", [
    described("E-mail", "email", { type: "email", autocomplete: "email", required: true }),
  ], "Kirim tautan", async (data, box) => {
    try {
      await api("POST", "/accounts/password-reset", Object.fromEntries(data));
    } catch (error) { throw indonesian(error); }
    message(box, "Jika alamat ini terdaftar, kami mengirim tautan untuk membuat kata sandi baru.", "ok");
  }),

  "/atur-sandi": ({ query }) => form("Buat kata sandi baru", [
    described("Kata sandi baru (8–128 karakter)", "password",
      { type: "password", autocomplete: "new-password", required: true }),
  ], "Simpan", async (data, box) => {
    try {
      await api("POST", "/accounts/password-reset/confirm",
        { token: query.get("token") || "", password: data.get("password") });
    } catch (error) {
      if (error.status === 400) error.message = "Tautan tidak berlaku atau sudah dipakai.";
      throw indonesian(error);
    }
    message(box, "Kata sandi diganti. Silakan masuk.", "ok");
  }),

  "/ganti-sandi": changePasswordPage,
  "/admin/akun": accountsAdminPage,
  "/akun": mePage,

  "/keluar": () => { token.clear(); go("#/masuk"); },
};
