// The satker admin's competency-test pages: question bank, sessions and schedule, item analysis.
// Desk first, usable on a phone. Times are shown and typed on the satker's clock (WIB, WITA or
// WIT by its province), as the schedule route reads them. The helpers exported below (the
// activity chooser, the clock, file downloads and uploads) serve admin_final.js as well.
import { api, ApiError, download, token, upload } from "./api.js";
import { field, formElement, h, message, show } from "./dom.js";

// -- shared helpers ------------------------------------------------------------------------

// The provinces of WITA and WIT (services/shared/contracts/calendar.py); every other is WIB.
const WITA = new Set(["51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"]);
const WIT = new Set(["81", "82", "91", "92", "93", "94", "95", "96"]);

export function zoneOf(satkerCode) {
  const province = String(satkerCode || "").slice(0, 2);
  if (WITA.has(province)) return { name: "WITA", hours: 8 };
  if (WIT.has(province)) return { name: "WIT", hours: 9 };
  return { name: "WIB", hours: 7 };
}

// An instant (ISO string or ms) on the satker's clock, e.g. "Kam, 26 Nov 2026 07.00 WIB".
export function fmtTime(instant, zone, withDay = true) {
  const ms = typeof instant === "number" ? instant : Date.parse(instant);
  const shifted = new Date(ms + zone.hours * 3600000);
  const options = { timeZone: "UTC", hour: "2-digit", minute: "2-digit" };
  if (withDay) Object.assign(options, { weekday: "short", day: "numeric", month: "short", year: "numeric" });
  return shifted.toLocaleString("id-ID", options) + " " + zone.name;
}

// "2026-11-26T07:00" typed on the satker's clock -> ISO 8601 with its offset.
function isoAt(local, zone) {
  const value = local.length === 16 ? local + ":00" : local;
  return `${value}+0${zone.hours}:00`;
}

export function number(value, digits = 2) {
  if (value === null || value === undefined) return "–";
  return Number(value).toLocaleString("id-ID", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

// A section form that stays on the page (dom.js form() replaces the whole page).
export function sectionForm(fields, submitText, onSubmit, attrs = {}) {
  return formElement(fields, submitText, onSubmit, { attrs, translate: (error) => {
    const flat = flatErrors(error.fields || {});
    for (const key of Object.keys(flat)) flat[key] = flat[key].map(indonesian);
    return { message: error.message, fields: flat };
  } });
}

// {"items": {"0": {"options": [..]}}} -> {"items.0.options": [..]}: marshmallow nests, the
// services answer flat keys; both reach the page as one flat map.
export function flatErrors(errors, prefix = "") {
  const flat = {};
  for (const [key, value] of Object.entries(errors || {})) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === "object" && !Array.isArray(value)) Object.assign(flat, flatErrors(value, name));
    else flat[name] = [].concat(value);
  }
  return flat;
}

export function select(label, name, options, value) {
  return h("div", { class: "field" },
    h("label", { for: "f-" + name, text: label }),
    h("select", { id: "f-" + name, name },
      ...options.map(([v, t]) => h("option", { value: v, selected: String(v) === String(value), text: t }))),
    h("p", { class: "error", "data-error-for": name, "aria-live": "polite" }));
}

export function checkbox(label, name, checked) {
  return h("div", { class: "check" },
    h("input", { type: "checkbox", id: "f-" + name, name, checked: !!checked }),
    h("label", { for: "f-" + name, text: label }));
}

// A table: headers as <th scope="col">, the first cell of each row as <th scope="row">.
export function table(caption, headers, rows, attrs = {}) {
  return h("div", { class: "ax-table-wrap", role: "region", "aria-label": caption, tabindex: "0" },
    h("table", { class: "ax-table", ...attrs },
      h("caption", { class: "sr-only", text: caption }),
      h("thead", {}, h("tr", {}, ...headers.map((text) => h("th", { scope: "col", text })))),
      h("tbody", {}, ...rows.map((cells) => h("tr", {}, ...cells.map((cell, i) =>
        h(i === 0 ? "th" : "td", i === 0 ? { scope: "row" } : {}, cell)))))));
}

// The page of one activity: `?kegiatan=<id>`; without it, a chooser of the satker's activities.
export async function activityPage(query, title, hashPath, render) {
  const id = query.get("kegiatan");
  if (!id) {
    const satker = token.who().satker_code || "";
    const { data } = await api("GET", `/activities?satker_code=${encodeURIComponent(satker)}&per_page=200`);
    show(h("h1", { text: title }),
      h("p", { text: "Pilih kegiatan:" }),
      data.items.length
        ? h("ul", { class: "plain ax-chooser" }, ...data.items.map((activity) => h("li", {},
          h("a", { href: `#${hashPath}?kegiatan=${encodeURIComponent(activity.id)}`,
            text: `${activity.name} (${activity.year})` }))))
        : h("p", { text: "Belum ada kegiatan di satker Anda." }));
    return;
  }
  const { data: activity } = await api("GET", `/activities/${encodeURIComponent(id)}`);
  await render(activity, zoneOf(activity.satker_code));
}

// -- the question bank ---------------------------------------------------------------------

const LETTERS = ["A", "B", "C", "D", "E"];
const FIELD_NAMES = { text: "pertanyaan", options: "opsi", answer_index: "jawaban", category: "kategori" };
const MESSAGES = [
  [/^Write the question\.$/, () => "Pertanyaan belum ditulis."],
  [/^At most (\d+) characters\.$/, (m) => `Paling banyak ${m[1]} karakter.`],
  [/^Give 4 or 5 options\.$/, () => "Isi 4 atau 5 opsi jawaban."],
  [/^No option may be empty\.$/, () => "Ada opsi yang kosong (opsi harus berurutan dari A)."],
  [/^An option has at most (\d+) characters\.$/, (m) => `Satu opsi paling banyak ${m[1]} karakter.`],
  [/^Two options are the same\.$/, () => "Ada dua opsi yang sama."],
  [/^Give the correct option's index.*$/, () => "Jawaban benar belum diisi."],
  [/^The correct option must be one of the options\.$/, () => "Jawaban benar harus salah satu opsi yang diisi."],
  [/^The answer '(.*)' is not a letter A-E or a number 1-5\.$/, (m) => `Jawaban '${m[1]}' bukan huruf A–E atau angka 1–5.`],
  [/^A category is a text.*$/, () => "Kategori paling banyak 100 karakter."],
  [/^The file is not an Excel workbook.*$/, () => "Berkas bukan buku kerja Excel (.xlsx)."],
  [/^The first row must name the columns; missing: (.*)\.$/, (m) => `Baris pertama harus berisi nama kolom; belum ada: ${m[1]}.`],
  [/^Columns (\w+) and (\w+) both name '(.*)'; keep one\.$/, (m) => `Kolom ${m[1]} dan ${m[2]} sama-sama bernama '${m[3]}'; sisakan satu.`],
  [/^At most (\d+) questions per sheet\.$/, (m) => `Paling banyak ${m[1]} soal per lembar.`],
  [/^The workbook has no worksheet\.$/, () => "Buku kerja tidak berisi lembar kerja."],
  [/^Must be after starts_at\.$/, () => "Harus sesudah waktu mulai."],
  [/^A session lasts at most one day\.$/, () => "Satu sesi paling lama satu hari."],
  [/^This session would have ended already\.$/, () => "Sesi ini sudah berakhir."],
  [/^Between (\d+) and (\d+)\.$/, (m) => `Antara ${m[1]} dan ${m[2]}.`],
  [/^The day's slots must end by midnight\.$/, () => "Sesi terakhir harus selesai paling lambat pukul 24.00."],
  [/^At most (\d+) sessions at once\.$/, (m) => `Paling banyak ${m[1]} sesi sekaligus.`],
  [/^Every slot of this schedule is over already\.$/, () => "Semua sesi jadwal ini sudah lewat."],
  [/^At least one weight must be above 0\.$/, () => "Paling sedikit satu bobot harus lebih dari 0."],
  [/^Length must be between (\d+) and (\d+)\.$/, (m) => `Jumlahnya harus ${m[1]}–${m[2]}.`],
  [/^Shorter than minimum length (\d+)\.$/, () => "Wajib diisi."],
  [/^Missing data for required field\.$/, () => "Wajib diisi."],
  [/^Not a valid (integer|number)\.$/, () => "Isi dengan angka."],
  [/^Must be greater than or equal to (\S+) and less than or equal to (\S+)\.$/, (m) => `Antara ${m[1]} dan ${m[2]}.`],
];

export function indonesian(text) {
  for (const [pattern, say] of MESSAGES) {
    const found = pattern.exec(text);
    if (found) return say(found);
  }
  return text;
}

// The refusal of a sheet, one line per place: [sort key, "Baris 3 (opsi)", message].
function sheetProblems(errors) {
  const lines = [];
  for (const [key, messages] of Object.entries(flatErrors(errors))) {
    const row = /^row (\d+)(?:: (\w+))?$/.exec(key);
    const place = row ? `Baris ${row[1]}` + (row[2] ? ` (${FIELD_NAMES[row[2]] || row[2]})` : "")
      : key === "file" ? "Berkas" : key;
    for (const text of messages) lines.push([row ? Number(row[1]) : 0, place, indonesian(text)]);
  }
  return lines.sort((a, b) => a[0] - b[0]);
}

async function allQuestions(activityId) {
  const items = [];
  for (let page = 1; ; page += 1) {
    const { data } = await api("GET", `/activities/${activityId}/questions?page=${page}&per_page=200`);
    items.push(...data.items);
    if (!data.items.length || items.length >= data.total) return items;
  }
}

function bankSection(activity, onChange) {
  const summary = h("div", { id: "bank-summary", "aria-live": "polite" });
  const refresh = async () => {
    const questions = await allQuestions(activity.id);
    const counts = {};
    for (const q of questions) counts[q.category] = (counts[q.category] || 0) + 1;
    const rows = Object.entries(counts).sort().map(([category, n]) => [category, String(n)]);
    summary.replaceChildren(...[
      h("p", { id: "bank-total", "data-total": String(questions.length),
        text: `Bank soal berisi ${questions.length} soal.` }),
      questions.length < 30
        ? h("p", { class: "warn", text: "Setiap peserta mendapat 30 soal: tambahkan soal sampai paling sedikit 30." })
        : null,
      rows.length ? table("Jumlah soal per kategori", ["Kategori", "Jumlah soal"], rows, { id: "bank-categories" }) : null,
    ].filter(Boolean));
  };
  onChange.push(refresh);

  // One question by form.
  const options = LETTERS.map((letter) => field(`Opsi ${letter}` + (letter === "E" ? " (boleh kosong)" : ""),
    "q_option_" + letter, { required: letter !== "E", maxlength: 1000 }));
  const add = sectionForm([
    h("div", { class: "field" },
      h("label", { for: "f-q_text", text: "Pertanyaan" }),
      h("textarea", { id: "f-q_text", name: "q_text", rows: 3, maxlength: 4000, required: true }),
      h("p", { class: "error", "data-error-for": "items.0.text", "aria-live": "polite" })),
    ...options,
    h("p", { class: "error", "data-error-for": "items.0.options", "aria-live": "polite" }),
    select("Jawaban benar", "q_answer", LETTERS.map((letter, i) => [i, "Opsi " + letter]), 0),
    h("p", { class: "error", "data-error-for": "items.0.answer_index", "aria-live": "polite" }),
    field("Kategori (mis. numerik, verbal; kosong = umum)", "q_category", { maxlength: 100 }),
    h("p", { class: "error", "data-error-for": "items.0.category", "aria-live": "polite" }),
  ], "Tambah soal", async (data, box, el) => {
    const texts = LETTERS.map((letter) => (data.get("q_option_" + letter) || "").trim());
    while (texts.length && !texts[texts.length - 1]) texts.pop(); // E (or more) left blank
    const item = { text: data.get("q_text") || "", options: texts,
      answer_index: Number(data.get("q_answer")), category: (data.get("q_category") || "").trim() || null };
    await api("POST", `/activities/${activity.id}/questions`, { items: [item] });
    el.reset();
    message(box, "Soal ditambahkan.", "ok");
    await refresh();
  }, { id: "question-form", "aria-labelledby": "h-add-question" });

  // The admins' XLSX sheet.
  const problems = h("div", { id: "sheet-problems", "aria-live": "polite" });
  const box = h("p", { class: "msg", role: "status", "aria-live": "polite" });
  const input = h("input", { type: "file", id: "f-sheet", name: "sheet",
    accept: ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" });
  const send = h("button", { type: "button", text: "Unggah lembar soal", onclick: async () => {
    const file = input.files[0];
    problems.replaceChildren();
    if (!file) { message(box, "Pilih berkas .xlsx dahulu.", "error"); return; }
    send.disabled = true;
    message(box, "Mengunggah…");
    try {
      const done = await upload(`/activities/${activity.id}/questions/sheet`, file, () => {}, {
        method: "POST", contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" });
      message(box, `${done.created} soal diimpor.`, "ok");
      input.value = "";
      await refresh();
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) {
        message(box, "Lembar soal ditolak: tidak ada soal yang diimpor. Perbaiki baris berikut lalu unggah lagi.", "error");
        problems.replaceChildren(table("Kesalahan pada lembar soal", ["Tempat", "Masalah"],
          sheetProblems(error.fields).map(([, place, text]) => [place, text]), { id: "sheet-errors" }));
      } else if (error instanceof ApiError && error.status === 415) {
        message(box, "Jenis berkas tidak didukung. Gunakan berkas Excel .xlsx.", "error");
      } else message(box, error.message, "error");
    } finally { send.disabled = false; }
  } });
  const format = h("details", { class: "ax-format" },
    h("summary", { text: "Format lembar soal (.xlsx)" }),
    h("p", { text: "Lembar kerja pertama dibaca. Baris 1 berisi nama kolom, satu soal per baris mulai baris 2; baris kosong dilewati. Bila satu baris salah, tidak ada soal yang diimpor dan nomor barisnya disebutkan." }),
    table("Kolom lembar soal", ["Kolom", "Isi"], [
      ["pertanyaan", "Teks soal (wajib)"],
      ["opsi_a … opsi_d", "Empat opsi jawaban (wajib)"],
      ["opsi_e", "Opsi kelima (boleh kosong)"],
      ["jawaban", "Opsi yang benar: huruf A–E atau angka 1–5 (wajib)"],
      ["kategori", "Mis. numerik, verbal, wawasan (boleh kosong = umum)"],
    ]),
    h("p", { class: "hint", text: "Contoh baris 2: «Berapa 2 + 3?» | 4 | 5 | 6 | 7 | | B | numerik" }));

  return [
    h("section", { "aria-labelledby": "h-bank" }, h("h2", { id: "h-bank", text: "Bank soal" }), summary),
    h("div", { class: "ax-pair" },
      h("section", { "aria-labelledby": "h-sheet", class: "card" },
        h("h3", { id: "h-sheet", text: "Unggah lembar soal (Excel)" }), format,
        h("div", { class: "field" }, h("label", { for: "f-sheet", text: "Berkas .xlsx" }), input), send, box, problems),
      h("section", { "aria-labelledby": "h-add-question", class: "card" },
        h("h3", { id: "h-add-question", text: "Tambah satu soal" }), add)),
  ];
}

// -- sessions and the schedule helper ------------------------------------------------------

function pad(n) { return String(n).padStart(2, "0"); }
function hhmm(minutes) { return `${pad(Math.floor(minutes / 60) % 24)}.${pad(minutes % 60)}`; }

// What POST .../test-sessions/schedule will create: per day, its slots (over ones marked).
export function schedulePlan(firstDay, days, slots, firstSlot, slotMinutes, zone, now = Date.now()) {
  const problems = [];
  if (!/^\d{4}-\d{2}-\d{2}$/.test(firstDay)) problems.push("Isi hari pertama.");
  if (!(days >= 1 && days <= 60)) problems.push("Jumlah hari 1–60.");
  if (!(slots >= 1 && slots <= 24)) problems.push("Sesi per hari 1–24.");
  if (!(slotMinutes >= 15 && slotMinutes <= 1440)) problems.push("Lama sesi 15–1440 menit.");
  const time = /^(\d{2}):(\d{2})$/.exec(firstSlot || "");
  if (!time) problems.push("Isi jam sesi pertama (JJ:MM).");
  if (problems.length) return { problems, days: [], count: 0 };
  const start = Number(time[1]) * 60 + Number(time[2]);
  if (start + slots * slotMinutes > 24 * 60) problems.push("Sesi terakhir harus selesai paling lambat pukul 24.00.");
  if (days * slots > 500) problems.push("Paling banyak 500 sesi sekaligus.");
  const plan = [];
  let count = 0;
  const [y, m, d] = firstDay.split("-").map(Number);
  for (let day = 0; day < days && !problems.length; day += 1) {
    const midnight = Date.UTC(y, m - 1, d + day) - zone.hours * 3600000; // 00:00 on the satker's clock
    const entries = [];
    for (let slot = 0; slot < slots; slot += 1) {
      const from = start + slot * slotMinutes;
      const over = midnight + (from + slotMinutes) * 60000 <= now;
      if (!over) count += 1;
      entries.push({ text: `${hhmm(from)}–${hhmm(from + slotMinutes)}`, over });
    }
    plan.push({ date: new Date(Date.UTC(y, m - 1, d + day)).toLocaleDateString("id-ID",
      { timeZone: "UTC", weekday: "long", day: "numeric", month: "long", year: "numeric" }), entries });
  }
  return { problems, days: plan, count };
}

function sessionsSection(activity, zone, onChange) {
  const list = h("div", { id: "session-list", "aria-live": "polite" });
  const sessionChoice = { sessions: [] };
  const refresh = async () => {
    const { data } = await api("GET", `/activities/${activity.id}/test-sessions`);
    const items = [...data.items].sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at));
    sessionChoice.sessions = items;
    const booked = items.reduce((n, s) => n + s.booked, 0);
    const capacity = items.reduce((n, s) => n + s.capacity, 0);
    list.replaceChildren(
      h("p", { id: "session-count", "data-count": String(items.length),
        text: `${items.length} sesi; terisi ${booked} dari ${capacity} kursi.` }),
      items.length ? table("Daftar sesi ujian", ["Mulai", "Selesai", "Terisi / kapasitas"], items.map((s) => [
        fmtTime(s.starts_at, zone), fmtTime(s.ends_at, zone), `${s.booked} / ${s.capacity}`]), { id: "sessions" })
        : h("p", { text: "Belum ada sesi." }));
  };
  onChange.push(refresh);

  const one = sectionForm([
    field(`Mulai (${zone.name})`, "starts_at", { type: "datetime-local", required: true }),
    field(`Selesai (${zone.name})`, "ends_at", { type: "datetime-local", required: true }),
    field("Kapasitas (peserta)", "capacity", { type: "number", min: 1, max: 100000, required: true, inputmode: "numeric" }),
  ], "Buat sesi", async (data, box, el) => {
    if (!data.get("starts_at") || !data.get("ends_at")) {
      throw Object.assign(new Error("Isi waktu mulai dan selesai."), { fields: {} });
    }
    await api("POST", `/activities/${activity.id}/test-sessions`, {
      starts_at: isoAt(data.get("starts_at"), zone), ends_at: isoAt(data.get("ends_at"), zone),
      capacity: Number(data.get("capacity")) });
    el.reset();
    message(box, "Sesi dibuat.", "ok");
    await refresh();
  }, { id: "session-form" });

  const preview = h("div", { id: "schedule-preview", "aria-live": "polite" });
  let plan = { count: 0, problems: [] };
  const schedule = sectionForm([
    field(`Hari pertama (${zone.name})`, "first_day", { type: "date", required: true,
      value: new Date(Date.now() + zone.hours * 3600000 + 86400000).toISOString().slice(0, 10) }),
    field("Jumlah hari", "days", { type: "number", min: 1, max: 60, value: 7, inputmode: "numeric" }),
    field("Sesi per hari", "slots_per_day", { type: "number", min: 1, max: 24, value: 5, inputmode: "numeric" }),
    field(`Jam sesi pertama (${zone.name})`, "first_slot_starts", { type: "time", value: "07:00" }),
    field("Lama tiap sesi (menit)", "slot_minutes", { type: "number", min: 15, max: 1440, value: 120, inputmode: "numeric" }),
    field("Kapasitas tiap sesi", "sch_capacity", { type: "number", min: 1, max: 100000, value: 100, inputmode: "numeric" }),
    preview,
  ], "Buat jadwal", async (data, box) => {
    if (plan.problems.length || !plan.count) {
      message(box, "Periksa jadwal: tidak ada sesi yang dapat dibuat.", "error");
      return;
    }
    let made;
    try {
      ({ data: made } = await api("POST", `/activities/${activity.id}/test-sessions/schedule`, {
        first_day: data.get("first_day"), days: Number(data.get("days")),
        slots_per_day: Number(data.get("slots_per_day")), first_slot_starts: data.get("first_slot_starts"),
        slot_minutes: Number(data.get("slot_minutes")), capacity: Number(data.get("sch_capacity")) }));
    } catch (error) {
      if (error.fields && error.fields.capacity) error.fields.sch_capacity = error.fields.capacity;
      throw error;
    }
    message(box, `${made.items.length} sesi dibuat.`, "ok");
    await refresh();
  }, { id: "schedule-form" });
  const update = () => {
    const get = (name) => schedule.elements[name].value;
    plan = schedulePlan(get("first_day"), Number(get("days")), Number(get("slots_per_day")),
      get("first_slot_starts"), Number(get("slot_minutes")), zone);
    const button = schedule.querySelector("button[type=submit]");
    button.textContent = plan.count ? `Buat ${plan.count} sesi` : "Buat jadwal";
    if (plan.problems.length) {
      preview.replaceChildren(...plan.problems.map((text) => h("p", { class: "warn", text })));
      return;
    }
    const over = plan.days.reduce((n, day) => n + day.entries.filter((e) => e.over).length, 0);
    preview.replaceChildren(
      h("p", { id: "schedule-summary", "data-count": String(plan.count),
        text: `Pratinjau: ${plan.count} sesi akan dibuat` + (over ? ` (${over} sesi yang sudah lewat dilewati)` : "") + "." }),
      table("Pratinjau jadwal", ["Hari", `Sesi (${zone.name})`], plan.days.map((day) => [day.date,
        day.entries.map((e) => e.over ? `${e.text} (lewat)` : e.text).join(", ")]), { id: "schedule-table" }));
  };
  schedule.addEventListener("input", update);
  update();

  return {
    sessionChoice,
    nodes: [
      h("section", { "aria-labelledby": "h-sessions" }, h("h2", { id: "h-sessions", text: "Sesi ujian" }),
        h("p", { class: "hint", text: `Waktu menurut jam satker (${zone.name}).` }), list),
      h("div", { class: "ax-pair" },
        h("section", { "aria-labelledby": "h-schedule", class: "card" },
          h("h3", { id: "h-schedule", text: "Buat jadwal (hari × sesi)" }),
          h("p", { class: "hint", text: "Sesi berurutan tiap hari mulai jam sesi pertama, mis. 7 hari × 5 sesi dua jam mulai 07.00." }),
          schedule),
        h("section", { "aria-labelledby": "h-one-session", class: "card" },
          h("h3", { id: "h-one-session", text: "Buat satu sesi" }), one)),
    ],
  };
}

// -- item analysis -------------------------------------------------------------------------

const FLAGS = { everyone_correct: "semua benar", negative_discrimination: "daya beda negatif" };

function analysisSection(activity, zone, sessionChoice) {
  const out = h("div", { id: "analysis", "aria-live": "polite" });
  const box = h("p", { class: "msg", role: "status", "aria-live": "polite" });
  const choice = h("select", { id: "f-analysis_session", name: "analysis_session" });
  const fillChoice = () => choice.replaceChildren(h("option", { value: "", text: "Semua sesi" }),
    ...sessionChoice.sessions.map((s) => h("option", { value: s.id, text: fmtTime(s.starts_at, zone) })));
  const query = () => (choice.value ? "?session_id=" + encodeURIComponent(choice.value) : "");
  const showIt = h("button", { type: "button", text: "Tampilkan analisis butir", onclick: async () => {
    showIt.disabled = true;
    message(box, "Memuat…");
    try {
      const { data } = await api("GET", `/activities/${activity.id}/item-analysis${query()}`);
      message(box, `${data.attempts} peserta selesai; ${data.items.length} soal.`, "ok");
      out.replaceChildren(...[
        data.method ? h("p", { class: "hint", text: "Metode: " + data.method }) : null,
        h("p", { class: "hint", text: "Kesukaran = bagian peserta yang menjawab benar (0–1). Daya beda = korelasi point-biserial dengan skor sisanya; – bila tidak terdefinisi. Pilihan: berapa kali tiap opsi dipilih (* = jawaban benar)." }),
        data.items.length ? table("Analisis butir", ["No", "Kategori", "Soal", "Disajikan", "Dijawab", "Kosong",
          "Kesukaran", "Daya beda", "Pilihan", "Catatan"], data.items.map((item, i) => [
          String(i + 1), item.category, item.text.length > 90 ? item.text.slice(0, 90) + "…" : item.text,
          String(item.presented), String(item.answered), String(item.unanswered), number(item.facility),
          number(item.discrimination),
          (item.options || []).map((o) => `${LETTERS[o.index]}: ${o.chosen}${o.correct ? "*" : ""}`).join(" · "),
          (item.flags || []).map((f) => FLAGS[f] || f).join(", ")]), { id: "analysis-table" })
          : h("p", { text: "Belum ada jawaban untuk dianalisis." })].filter(Boolean));
    } catch (error) { message(box, error.message, "error"); } finally { showIt.disabled = false; }
  } });
  const exportIt = h("button", { type: "button", class: "secondary", text: "Unduh analisis (XLSX)", onclick: async () => {
    try {
      const session = choice.value ? "&session_id=" + encodeURIComponent(choice.value) : "";
      await download(`/activities/${activity.id}/item-analysis/export?format=xlsx${session}`, "analisis-butir.xlsx");
    } catch (error) { message(box, error.message, "error"); }
  } });
  return {
    fillChoice,
    node: h("section", { "aria-labelledby": "h-analysis" }, h("h2", { id: "h-analysis", text: "Analisis butir soal" }),
      h("div", { class: "field" }, h("label", { for: "f-analysis_session", text: "Sesi" }), choice),
      showIt, exportIt, box, out),
  };
}

async function testPage({ query }) {
  await activityPage(query, "Ujian kompetensi", "/admin/ujian", async (activity, zone) => {
    const onChange = [];
    const bank = bankSection(activity, onChange);
    const sessions = sessionsSection(activity, zone, onChange);
    const analysis = analysisSection(activity, zone, sessions.sessionChoice);
    onChange.push(async () => analysis.fillChoice());
    show(h("h1", { text: "Ujian kompetensi: " + activity.name }),
      h("p", {}, h("a", { href: "#/admin/seleksi-akhir?kegiatan=" + encodeURIComponent(activity.id),
        text: "Ke seleksi akhir kegiatan ini" })),
      h("div", { class: "ax-wide" }, ...bank, ...sessions.nodes, analysis.node));
    for (const refresh of onChange) await refresh();
  });
}

export const adminTestPages = { "/admin/ujian": testPage };
