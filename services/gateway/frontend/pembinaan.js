// Pembina teams and the sekretariat: the juknis' records, requests, monitoring.
// Every page calls the /api/v1/pembinaan routes; what a role may do is the API's to decide
// (a refusal is shown as the API answered it, 403/409 explained in plain Indonesian).
import { ApiError, api, token, upload } from "./api.js";
import { formElement, go, h, message, show } from "./dom.js";
import { monitoringPages } from "./monitoring.js";

const P = "/pembinaan";
const render = (...children) => show(...children.filter((child) => child !== null && child !== undefined));
const MAX_EVIDENCE = 10;
const MAX_UPLOAD_MB = 10;
const FILE_KINDS = { "application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG" };

// -- the juknis' lists in plain Indonesian ------------------------------------------------

const LEVELS = { direktorat: "Direktorat (pusat)", provinsi: "Provinsi", kabkot: "Kabupaten/Kota" };
const POSITIONS = { ketua: "Ketua", koordinator: "Koordinator", anggota: "Anggota" };
const LOKUS_KINDS = { kl: "K/L", pemda_provinsi: "Pemda provinsi", pemda_kabkot: "Pemda kabupaten/kota" };
const ESTABLISHMENT_KINDS = { sk: "Surat Keputusan (SK)", surat_tugas: "Surat Tugas" };
const MECHANISMS = { online: "Daring (online)", offline: "Luring (offline)", hybrid: "Hibrida" };
const ORGANISERS = { bps: "BPS", non_bps: "Non-BPS" };
const MEETING_KINDS = { fullday: "Fullday meeting", non_fullday: "Non-fullday" };
const INITIATIVES = { bps: "BPS", non_bps: "Non-BPS (permintaan K/L/Pemda)" };
const FORMS = {
  diklat_bimtek: "Diklat/Bimtek", seminar_webinar: "Seminar/Webinar", asistensi: "Asistensi",
  fgd: "FGD", rapat_koordinasi: "Rapat Koordinasi", workshop: "Workshop",
  coaching_clinic: "Coaching Clinic", pameran: "Pameran", konsolidasi: "Konsolidasi",
  audiensi: "Audiensi", konsultansi: "Konsultansi", knowledge_sharing: "Knowledge Sharing",
};
const TOPICS = {
  identifikasi_kegiatan: "Identifikasi kegiatan statistik", rencana_aksi: "Rencana aksi",
  satu_data_indonesia: "Satu Data Indonesia", sistem_statistik_nasional: "Sistem Statistik Nasional",
  kualitas_data: "Kualitas data", proses_bisnis_statistik: "Proses bisnis statistik",
  kelembagaan: "Kelembagaan",
};
const PERIODS = { tahunan: "Tahunan", semesteran: "Semesteran", triwulanan: "Triwulanan",
  bulanan: "Bulanan", lainnya: "Lainnya" };
const COLLECTION = { 1: "1 Sensus/pendataan lengkap", 2: "2 Survei",
  3: "3 Kompilasi produk administrasi", 4: "4 Cara lain" };
const DATA_USES = { internal: "Internal", terbatas: "Terbatas", terbuka: "Terbuka" };
const STATUSES = {
  submitted: "Diajukan", disposed: "Didisposisikan ke tim", capacity_confirmed: "Kapasitas dikonfirmasi",
  escalated: "Dieskalasi", in_progress: "Sedang berjalan", documented: "Terdokumentasi",
};
// The request flow of API.md: status -> the steps from it (the API still decides who).
const NEXT = {
  submitted: ["disposed"], disposed: ["capacity_confirmed", "escalated"],
  escalated: ["capacity_confirmed", "escalated"], capacity_confirmed: ["in_progress"],
  in_progress: ["documented"], documented: [],
};
const STEP_TEXT = {
  disposed: "Disposisikan ke tim", capacity_confirmed: "Konfirmasi kapasitas",
  escalated: "Eskalasi satu tingkat ke atas", in_progress: "Mulai pembinaan",
  documented: "Tandai terdokumentasi",
};
const CONTACTS = [
  ["pimpinan_nama", "Nama pimpinan"], ["pimpinan_jabatan", "Jabatan pimpinan"],
  ["instansi_email", "E-mail instansi"], ["walidata_unit", "Unit kerja walidata"],
  ["walidata_unit_email", "E-mail unit walidata"], ["walidata_kepala_nama", "Nama kepala walidata"],
  ["walidata_kepala_jabatan", "Jabatan kepala walidata"], ["walidata_kepala_email", "E-mail kepala walidata"],
  ["epss_nama", "Nama narahubung EPSS"], ["epss_jabatan", "Jabatan narahubung EPSS"],
  ["epss_email", "E-mail narahubung EPSS"], ["epss_whatsapp", "WhatsApp narahubung EPSS"],
  ["walidata_narahubung_nama", "Nama narahubung walidata"],
  ["walidata_narahubung_jabatan", "Jabatan narahubung walidata"],
  ["walidata_narahubung_email", "E-mail narahubung walidata"],
  ["walidata_narahubung_whatsapp", "WhatsApp narahubung walidata"],
];

// The four problems of the plan check, in plain Indonesian.
export function problemText(problem) {
  switch (problem.code) {
    case "too_few_items":
      return `Rencana kerja baru berisi ${problem.count} kegiatan; minimal ${problem.minimum} kegiatan per lokus.`;
    case "fullday_budget_mismatch":
      return `Rencana kerja tim memuat ${problem.count} fullday meeting yang didanai BPS, ` +
        `sedangkan anggaran tim untuk tahun ini ${problem.budget}. Samakan jumlahnya.`;
    case "overdue_unrealised":
      return "Tanggal rencana sudah lewat, tetapi belum ada aktivitas yang dikaitkan dengan kegiatan ini.";
    case "unplanned_activity":
      return "Aktivitas atas inisiatif BPS ini tidak ada di rencana kerja. Kaitkan dengan kegiatan rencana.";
    default:
      return problem.detail || problem.code;
  }
}

const label = (map, value) => (value === null || value === undefined ? "—" : map[value] || String(value));
const dateText = (iso) => (iso ? new Date(iso.length === 10 ? iso + "T00:00:00" : iso)
  .toLocaleDateString("id-ID", { day: "numeric", month: "long", year: "numeric" }) : "—");
const timeText = (iso) => (iso ? new Date(iso).toLocaleString("id-ID",
  { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" }) : "—");
// The signed-in account's id, from the token's claims (to say "Anda" in a history).
function myId() {
  try {
    const claims = token.get().split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(claims)).sub;
  } catch (error) { return null; }
}
const WHO_STEPS = {
  disposed: "Oleh kepala kantor BPS yang dituju (admin satker) atau sekretariat.",
  capacity_confirmed: "Oleh anggota tim yang memegang permintaan.",
  escalated: "Oleh anggota tim yang memegang permintaan: ke tim satu tingkat di atas (kabupaten/kota → provinsi yang sama → direktorat), tahun yang sama.",
  in_progress: "Oleh anggota tim yang memegang permintaan.",
  documented: "Oleh anggota tim yang memegang permintaan, dengan aktivitas inisiatif non-BPS tim itu.",
};
const isSekretariat = () => ["sekretariat", "superadmin"].includes(token.who().role);
let uid = 0;

// -- building blocks ---------------------------------------------------------------------

// A labelled input with its error line; ids are unique on the page (several forms per page).
function input(text, name, attrs = {}) {
  const id = `pb-${name}-${++uid}`;
  return h("div", { class: "field" }, h("label", { for: id, text }),
    h("input", { id, name, ...attrs }),
    h("p", { class: "error", "data-error-for": name, "aria-live": "polite" }));
}

function select(text, name, options, value, attrs = {}) {
  const id = `pb-${name}-${++uid}`;
  const entries = Array.isArray(options) ? options : Object.entries(options);
  return h("div", { class: "field" }, h("label", { for: id, text }),
    h("select", { id, name, ...attrs }, ...entries.map(([v, t]) =>
      h("option", { value: v, selected: String(v) === String(value ?? ""), text: t }))),
    h("p", { class: "error", "data-error-for": name, "aria-live": "polite" }));
}

function checks(legend, name, options, chosen = []) {
  return h("fieldset", {}, h("legend", { text: legend }),
    ...Object.entries(options).map(([v, t]) => {
      const id = `pb-${name}-${v}-${++uid}`;
      return h("div", { class: "check" },
        h("input", { type: "checkbox", id, name, value: v, checked: chosen.includes(v) }),
        h("label", { for: id, text: t }));
    }),
    h("p", { class: "error", "data-error-for": name, "aria-live": "polite" }));
}

// A form inside a page (dom.js' form() is a whole page), under its own heading.
function subform(title, fields, submitText, onSubmit, attrs = {}) {
  return formElement(fields, submitText, onSubmit, {
    attrs: { class: "card", ...attrs }, before: [title ? h("h3", { text: title }) : null] });
}

// A wide table scrolls sideways in a region the keyboard can reach.
function table(caption, headers, rows, attrs = {}) {
  return h("div", { class: "pb-scroll", role: "region", tabindex: 0, "aria-label": caption }, h("table", { class: "pb-table", ...attrs },
    h("caption", { text: caption }),
    h("thead", {}, h("tr", {}, ...headers.map((text) => h("th", { scope: "col", text })))),
    h("tbody", {}, ...rows)));
}

const row = (cells, attrs = {}) => h("tr", attrs, ...cells.map((cell, i) => (i === 0
  ? h("th", { scope: "row" }, cell) : h("td", {}, cell))));
const empty = (text) => h("p", { class: "hint", text });
const text = (data, name) => { const v = (data.get(name) || "").trim(); return v === "" ? null : v; };
const integer = (data, name) => { const v = text(data, name); return v === null ? null : Number(v); };
const crumbs = (...links) => h("nav", { class: "pb-crumbs", "aria-label": "Jejak halaman" },
  ...links.map(([href, t]) => h("a", { href, text: t })));

async function all(path) {
  const sep = path.includes("?") ? "&" : "?";
  return (await api("GET", `${path}${sep}per_page=200`)).data.items;
}

async function lokusAndTeam(lokusId) {
  const lokus = (await api("GET", `${P}/lokus/${lokusId}`)).data;
  const team = (await api("GET", `${P}/teams/${lokus.team_id}`)).data;
  return { lokus, team };
}

function lokusHeader(lokus, team, title) {
  return [crumbs(["#/pembinaan", "Tim"], [`#/pembinaan/tim?id=${team.id}`, team.name],
    [`#/pembinaan/lokus?id=${lokus.id}`, lokus.name]),
  h("h1", { text: `${title}: ${lokus.name}` })];
}

// -- teams ---------------------------------------------------------------------------------

async function teamsPage() {
  const teams = await all(`${P}/teams`);
  const list = teams.length ? table("Tim pembina", ["Tim", "Tahun", "Tingkat", "Kode unit", "SK/Surat Tugas"],
    teams.map((t) => row([h("a", { href: `#/pembinaan/tim?id=${t.id}`, text: t.name }), String(t.year),
      label(LEVELS, t.level), t.unit_code, t.establishment
        ? `${label(ESTABLISHMENT_KINDS, t.establishment.kind)} ${t.establishment.number}` : "Belum ada"])))
    : empty(isSekretariat() ? "Belum ada tim. Buat tim di bawah." : "Anda belum menjadi anggota tim pembina.");
  const parts = [h("h1", { text: isSekretariat() ? "Tim pembina" : "Tim saya" }), list];
  if (isSekretariat()) {
    parts.push(h("h2", { text: "Buat tim" }), subform(null, [
      input("Tahun", "year", { type: "number", min: 2000, max: 2100, value: new Date().getFullYear(), required: true }),
      select("Tingkat", "level", LEVELS, "kabkot"),
      input("Kode unit (kode direktorat untuk tim pusat, kode satker BPS: 3500, 3528)", "unit_code", { required: true }),
      input("Nama tim", "name", { required: true }),
    ], "Buat tim", async (data) => {
      const { data: made } = await api("POST", `${P}/teams`, { year: integer(data, "year"),
        level: data.get("level"), unit_code: text(data, "unit_code"), name: text(data, "name") })
        .catch((error) => { if (error.status === 409) error.message = "Tim untuk unit dan tahun ini sudah ada."; throw error; });
      go(`#/pembinaan/tim?id=${made.id}`);
    }));
  }
  render(...parts);
}

async function teamPage({ query }) {
  const id = query.get("id") || "";
  const team = (await api("GET", `${P}/teams/${id}`)).data;
  const lokus = await all(`${P}/lokus?team_id=${encodeURIComponent(id)}`);
  const reload = () => go(`#/pembinaan/tim?id=${id}`);
  const est = team.establishment;
  const parts = [crumbs(["#/pembinaan", "Tim"]), h("h1", { text: team.name }),
    h("p", { text: `${label(LEVELS, team.level)} · kode unit ${team.unit_code} · tahun ${team.year}` }),
    h("h2", { text: "Dokumen penetapan" }),
    h("p", { id: "pb-establishment", text: est
      ? `${label(ESTABLISHMENT_KINDS, est.kind)} nomor ${est.number}, tanggal ${dateText(est.date)} (${Math.ceil((est.size || 0) / 1024)} KB)`
      : "Belum diunggah." }),
    subform("Unggah SK atau Surat Tugas", [
      select("Jenis dokumen", "kind", ESTABLISHMENT_KINDS, est && est.kind),
      input("Nomor", "number", { required: true, value: est ? est.number : "" }),
      input("Tanggal", "date", { type: "date", required: true, value: est ? est.date : "" }),
      input(`Berkas PDF (paling besar ${MAX_UPLOAD_MB} MB)`, "file", { type: "file", accept: "application/pdf", required: true }),
    ], "Unggah dokumen", async (data, box) => {
      const file = data.get("file");
      if (!file || !file.size) { message(box, "Pilih berkas PDF.", "error"); return; }
      await api("PUT", `${P}/teams/${id}/establishment`, data);
      message(box, "Dokumen penetapan tersimpan.", "ok");
      reload();
    }),
    h("h2", { text: "Lokus binaan" }),
    lokus.length ? table("Lokus binaan tim", ["Lokus", "Jenis", "Kode"], lokus.map((l) =>
      row([h("a", { href: `#/pembinaan/lokus?id=${l.id}`, text: l.name }), label(LOKUS_KINDS, l.kind), l.code])))
      : empty("Belum ada lokus binaan."),
  ];
  let members = null;
  try { members = await all(`${P}/teams/${id}/members`); } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 403) throw error;
  }
  if (members) {
    parts.push(h("h2", { text: "Anggota" }), members.length
      ? table("Anggota tim", ["E-mail", "Jabatan", "ID akun"], members.map((m) =>
        row([m.email || "—", label(POSITIONS, m.position), m.account_id])))
      : empty("Belum ada anggota."));
  }
  parts.push(subform("Dokumentasikan internalisasi (paling lambat 14 Januari)", [
    input("Tanggal internalisasi", "tanggal", { type: "date", required: true }),
    input("Ringkasan", "ringkasan"),
  ], "Simpan internalisasi", async (data, box) => {
    await api("POST", `${P}/teams/${id}/internalisations`, { tanggal: text(data, "tanggal"), ringkasan: text(data, "ringkasan") });
    message(box, "Internalisasi tersimpan.", "ok");
  }));
  if (isSekretariat()) {
    parts.push(h("h2", { text: "Kelola tim (sekretariat)" }),
      subform("Tambah anggota", [
        input("ID akun (akun dengan peran pembina)", "account_id", { required: true }),
        select("Jabatan", "position", POSITIONS, "anggota"),
      ], "Tambah anggota", async (data, box) => {
        await api("POST", `${P}/teams/${id}/members`, { account_id: text(data, "account_id"), position: data.get("position") })
          .catch((error) => { if (error.status === 409) error.message = "Tim ini sudah punya ketua (satu ketua per tim) atau akun sudah menjadi anggota."; throw error; });
        message(box, "Anggota ditambahkan.", "ok");
        reload();
      }),
      subform("Tambah lokus binaan", [
        select("Jenis lokus", "kind", LOKUS_KINDS, "pemda_kabkot"),
        input("Kode", "code", { required: true }),
        input("Nama", "name", { required: true }),
      ], "Tambah lokus", async (data, box) => {
        await api("POST", `${P}/lokus`, { team_id: id, kind: data.get("kind"), code: text(data, "code"), name: text(data, "name") });
        message(box, "Lokus ditambahkan.", "ok");
        reload();
      }),
      subform("Anggaran fullday meeting", [
        input("Tahun", "year", { type: "number", min: 2000, max: 2100, value: team.year, required: true }),
        input("Fullday meeting didanai BPS", "fullday_meetings", { type: "number", min: 0, max: 1000, required: true }),
      ], "Simpan anggaran", async (data, box) => {
        await api("PUT", `${P}/budgets/${integer(data, "year")}/${id}`, { fullday_meetings: integer(data, "fullday_meetings") });
        message(box, "Anggaran tersimpan.", "ok");
      }));
    if (lokus.length) {
      parts.push(subform("Nilai IPS lokus", [
        select("Lokus", "lokus_id", lokus.map((l) => [l.id, l.name])),
        input("Tahun", "year", { type: "number", min: 2000, max: 2100, value: team.year, required: true }),
        input("Nilai IPS (1,0–5,0)", "value", { type: "number", min: 1, max: 5, step: 0.01, required: true }),
      ], "Simpan IPS", async (data, box) => {
        const { data: kept } = await api("PUT", `${P}/ips/${data.get("lokus_id")}/${integer(data, "year")}`,
          { value: Number(data.get("value")) });
        message(box, `IPS tersimpan: ${kept.value} (${GRADES[kept.grade] || kept.grade}).`, "ok");
      }));
    }
  }
  render(...parts);
}

const GRADES = { memuaskan: "Memuaskan", sangat_baik: "Sangat Baik", baik: "Baik", cukup: "Cukup", kurang: "Kurang" };

async function lokusPage({ query }) {
  const { lokus, team } = await lokusAndTeam(query.get("id") || "");
  const links = [["rencana", "Rencana kerja dan pemeriksaannya"], ["aktivitas", "Aktivitas pembinaan dan bukti"],
    ["narahubung", "Informasi narahubung"], ["inventaris", "Inventaris kegiatan statistik"],
    ["epss", "Kandidat kegiatan EPSS"]];
  render(crumbs(["#/pembinaan", "Tim"], [`#/pembinaan/tim?id=${team.id}`, team.name]),
    h("h1", { text: lokus.name }),
    h("p", { text: `${label(LOKUS_KINDS, lokus.kind)} · kode ${lokus.code}` }),
    h("ul", { class: "pb-links" }, ...links.map(([path, t]) =>
      h("li", {}, h("a", { href: `#/pembinaan/${path}?lokus=${lokus.id}`, text: t })))));
}

// -- rencana kerja and its check -----------------------------------------------------------

function planFields(item = {}) {
  return [
    input("Nama kegiatan", "nama_kegiatan", { required: true, value: item.nama_kegiatan || "" }),
    input("Tanggal rencana", "tanggal_rencana", { type: "date", required: true, value: item.tanggal_rencana || "" }),
    select("Mekanisme", "mekanisme", MECHANISMS, item.mekanisme || "offline"),
    select("Penyelenggara (yang membiayai atau mengundang)", "penyelenggara", ORGANISERS, item.penyelenggara || "bps"),
    select("Jenis pertemuan", "jenis", MEETING_KINDS, item.jenis || "non_fullday"),
    input("Output yang diharapkan", "output", { value: item.output || "" }),
    input("Catatan", "catatan", { value: item.catatan || "" }),
  ];
}

function planBody(data) {
  return { nama_kegiatan: text(data, "nama_kegiatan"), tanggal_rencana: text(data, "tanggal_rencana"),
    mekanisme: data.get("mekanisme"), penyelenggara: data.get("penyelenggara"), jenis: data.get("jenis"),
    output: text(data, "output"), catatan: text(data, "catatan") };
}

async function workPlanPage({ query }) {
  const lokusId = query.get("lokus") || "";
  const { lokus, team } = await lokusAndTeam(lokusId);
  const [items, activities, check] = await Promise.all([
    all(`${P}/lokus/${lokusId}/work-plan`), all(`${P}/lokus/${lokusId}/activities`),
    api("GET", `${P}/lokus/${lokusId}/work-plan/check`).then((r) => r.data)]);
  const reload = () => go(`#/pembinaan/rencana?lokus=${lokusId}`);
  const byItem = {}; const byActivity = {}; const general = [];
  for (const problem of check.problems) {
    if (problem.work_plan_id) (byItem[problem.work_plan_id] ||= []).push(problem);
    else if (problem.activity_id) (byActivity[problem.activity_id] ||= []).push(problem);
    else general.push(problem);
  }
  const problemList = (problems) => h("ul", { class: "pb-problems" }, ...problems.map((p) =>
    h("li", { class: "pb-problem", "data-code": p.code, text: problemText(p) })));
  const summary = h("section", { class: check.ok ? "card pb-ok" : "card pb-warn", id: "plan-check",
    "aria-labelledby": "plan-check-title" },
  h("h2", { id: "plan-check-title", text: "Pemeriksaan rencana kerja" }),
  check.ok ? h("p", { class: "msg ok", text: "Rencana kerja memenuhi ketentuan juknis." })
    : h("p", { text: `${check.problems.length} masalah ditemukan.` }),
  general.length ? problemList(general) : null);
  const editing = h("div", { id: "plan-edit" });
  const edit = (item) => {
    editing.replaceChildren(subform(`Ubah kegiatan: ${item.nama_kegiatan}`, planFields(item), "Simpan perubahan",
      async (data) => {
        // A PATCH names only what it sets: an emptied optional field is sent as "".
        const body = Object.fromEntries(Object.entries(planBody(data)).map(([k, v]) => [k, v ?? ""])
          .filter(([k, v]) => v !== "" || ["output", "catatan"].includes(k)));
        await api("PATCH", `${P}/work-plan/${item.id}`, body);
        reload();
      }));
    editing.querySelector("input").focus();
  };
  const rows = items.map((item) => row([
    item.nama_kegiatan, dateText(item.tanggal_rencana), label(MECHANISMS, item.mekanisme),
    label(ORGANISERS, item.penyelenggara), label(MEETING_KINDS, item.jenis), item.output || "—",
    byItem[item.id] ? problemList(byItem[item.id]) : h("span", { class: "pb-okay", text: "Sesuai" }),
    h("button", { type: "button", class: "secondary", "aria-label": `Ubah ${item.nama_kegiatan}`, text: "Ubah",
      onclick: () => edit(item) }),
  ], { "data-id": item.id, class: byItem[item.id] ? "pb-flagged" : "" }));
  const unplanned = activities.filter((a) => byActivity[a.id]);
  render(...lokusHeader(lokus, team, "Rencana kerja"), summary,
    items.length ? table("Kegiatan rencana kerja", ["Kegiatan", "Tanggal", "Mekanisme", "Penyelenggara",
      "Jenis", "Output", "Pemeriksaan", "Aksi"], rows, { id: "plan-table" }) : empty("Belum ada kegiatan rencana."),
    unplanned.length ? table("Aktivitas di luar rencana", ["Aktivitas", "Tanggal", "Pemeriksaan"],
      unplanned.map((a) => row([label(FORMS, a.bentuk), dateText(a.tanggal), problemList(byActivity[a.id])],
        { "data-id": a.id, class: "pb-flagged" }))) : null,
    editing,
    h("h2", { text: "Tambah kegiatan rencana" }),
    subform(null, planFields(), "Tambah ke rencana", async (data) => {
      await api("POST", `${P}/lokus/${lokusId}/work-plan`, planBody(data));
      reload();
    }, { id: "plan-add" }));
}

// -- aktivitas pembinaan and their evidence ------------------------------------------------

function evidenceUpload(activity, onDone) {
  const id = `pb-evidence-${activity.id}`;
  const progress = h("progress", { max: 1, value: 0, hidden: true, "aria-label": "Kemajuan unggah bukti" });
  const box = h("p", { class: "msg", role: "status", "aria-live": "polite" });
  const used = (activity.evidence || []).map((e) => e.n);
  const free = Array.from({ length: MAX_EVIDENCE }, (_, i) => i + 1).find((n) => !used.includes(n));
  if (!free) return h("p", { class: "hint", text: `Sudah ${MAX_EVIDENCE} berkas bukti (batas).` });
  const file = h("input", { type: "file", id, accept: "application/pdf,image/jpeg,image/png" });
  file.addEventListener("change", async () => {
    const chosen = file.files[0];
    if (!chosen) return;
    if (chosen.size > MAX_UPLOAD_MB * 1024 * 1024) {
      message(box, `Berkas lebih dari ${MAX_UPLOAD_MB} MB.`, "error"); return;
    }
    progress.hidden = false;
    message(box, "Mengunggah…");
    try {
      await upload(`${P}/activities/${activity.id}/evidence/${free}`, chosen, (part) => { progress.value = part; });
      progress.value = 1;
      message(box, "Bukti terunggah.", "ok");
      onDone();
    } catch (error) { message(box, error.message, "error"); }
  });
  return h("div", { class: "field" },
    h("label", { for: id, text: `Unggah bukti ke-${free} (PDF, JPEG atau PNG, paling besar ${MAX_UPLOAD_MB} MB)` }),
    file, progress, box);
}

async function activitiesPage({ query }) {
  const lokusId = query.get("lokus") || "";
  const { lokus, team } = await lokusAndTeam(lokusId);
  const [items, plan] = await Promise.all([all(`${P}/lokus/${lokusId}/activities`), all(`${P}/lokus/${lokusId}/work-plan`)]);
  const reload = () => go(`#/pembinaan/aktivitas?lokus=${lokusId}`);
  const planName = Object.fromEntries(plan.map((p) => [p.id, p.nama_kegiatan]));
  const cards = items.map((a) => h("article", { class: "card pb-activity", "data-id": a.id },
    h("h3", { text: `${label(FORMS, a.bentuk)}, ${dateText(a.tanggal)}` }),
    h("dl", { class: "pb-dl" },
      h("dt", { text: "Materi" }), h("dd", { text: a.materi.map((m) => label(TOPICS, m)).join(", ") }),
      h("dt", { text: "Inisiatif" }), h("dd", { text: label(INITIATIVES, a.inisiatif) }),
      h("dt", { text: "Kegiatan rencana" }), h("dd", { text: a.work_plan_id ? planName[a.work_plan_id] || a.work_plan_id : "Tidak dikaitkan" }),
      h("dt", { text: "Peserta" }), h("dd", { text: String(a.peserta) }),
      h("dt", { text: "Ringkasan" }), h("dd", { text: a.ringkasan || "—" }),
      h("dt", { text: "ID aktivitas" }), h("dd", { text: a.id })),
    h("h4", { text: "Bukti" }),
    a.evidence.length ? h("ul", { class: "pb-evidence" }, ...a.evidence.map((e) =>
      h("li", { text: `Bukti ${e.n}: ${FILE_KINDS[e.content_type] || e.content_type}, ${Math.ceil(e.size / 1024)} KB, ${timeText(e.uploaded_at)}` })))
      : h("p", { class: "hint", text: "Belum ada bukti." }),
    evidenceUpload(a, reload)));
  render(...lokusHeader(lokus, team, "Aktivitas pembinaan"), h("h2", { text: "Aktivitas tercatat" }),
    cards.length ? h("div", { id: "activities" }, ...cards) : empty("Belum ada aktivitas."),
    h("h2", { text: "Catat aktivitas" }),
    subform(null, [
      input("Tanggal", "tanggal", { type: "date", required: true }),
      select("Bentuk kegiatan", "bentuk", FORMS, "fgd"),
      checks("Materi", "materi", TOPICS),
      select("Inisiatif", "inisiatif", INITIATIVES, "bps"),
      select("Kegiatan rencana kerja", "work_plan_id", [["", "— tidak dikaitkan —"],
        ...plan.map((p) => [p.id, `${p.nama_kegiatan} (${dateText(p.tanggal_rencana)})`])]),
      input("Jumlah peserta", "peserta", { type: "number", min: 0, required: true, value: 0 }),
      input("Ringkasan", "ringkasan"),
    ], "Simpan aktivitas", async (data) => {
      await api("POST", `${P}/lokus/${lokusId}/activities`, { tanggal: text(data, "tanggal"),
        bentuk: data.get("bentuk"), materi: data.getAll("materi"), inisiatif: data.get("inisiatif"),
        work_plan_id: text(data, "work_plan_id"), peserta: integer(data, "peserta"), ringkasan: text(data, "ringkasan") });
      reload();
    }, { id: "activity-add" }));
}

// -- narahubung, inventaris, EPSS -----------------------------------------------------------

async function contactsPage({ query }) {
  const lokusId = query.get("lokus") || "";
  const { lokus, team } = await lokusAndTeam(lokusId);
  let current = {};
  try { current = (await api("GET", `${P}/lokus/${lokusId}/contacts`)).data || {}; } catch (error) {
    if (error.status !== 404) throw error;
  }
  const kind = (name) => (name.endsWith("email") ? { type: "email", autocomplete: "off" }
    : name.endsWith("whatsapp") ? { type: "tel", inputmode: "tel", placeholder: "081234567890" } : {});
  render(...lokusHeader(lokus, team, "Informasi narahubung"),
    h("p", { class: "hint", text: "Isian yang kosong dihitung belum lengkap. E-mail harus berformat nama@domain; " +
      "WhatsApp nomor ponsel Indonesia (08…, 628… atau +628…)." }),
    subform(null, CONTACTS.map(([name, t]) => input(t, name, { value: current[name] || "", ...kind(name) })),
      "Simpan narahubung", async (data, box) => {
        const body = Object.fromEntries(CONTACTS.map(([name]) => [name, text(data, name)]));
        try { await api("PUT", `${P}/lokus/${lokusId}/contacts`, body); } catch (error) {
          for (const name of Object.keys(error.fields || {})) {
            if (name.endsWith("email")) error.fields[name] = ["alamat e-mail tidak valid (contoh: nama@instansi.go.id)."];
            else if (name.endsWith("whatsapp")) error.fields[name] = ["gunakan nomor ponsel Indonesia, misalnya 081234567890."];
          }
          if (error.status === 422) error.message = "Ada isian narahubung yang tidak valid; lihat keterangan di bawah isian.";
          throw error;
        }
        const filled = Object.values(body).filter((v) => v !== null).length;
        message(box, `Narahubung tersimpan (${filled} dari ${CONTACTS.length} isian terisi).`, "ok");
      }, { id: "contacts-form" }));
}

function inventoryFields(item = {}) {
  return [
    input("Judul kegiatan", "judul", { required: true, value: item.judul || "" }),
    select("Periode", "periode", PERIODS, item.periode || "tahunan"),
    input("Tahun terakhir dilaksanakan", "tahun_terakhir", { type: "number", min: 1900, max: 2100, value: item.tahun_terakhir || "" }),
    input("Unit produsen", "unit_produsen", { required: true, value: item.unit_produsen || "" }),
    select("Cara pengumpulan data", "cara_pengumpulan", COLLECTION, item.cara_pengumpulan || 2),
    input("Data/indikator utama", "data_utama", { required: true, value: item.data_utama || "" }),
    select("Data prioritas", "data_prioritas", [["false", "Tidak"], ["true", "Ya"]], String(!!item.data_prioritas)),
    select("Pemanfaatan", "pemanfaatan", DATA_USES, item.pemanfaatan || "internal"),
  ];
}

function inventoryBody(data) {
  return { judul: text(data, "judul"), periode: data.get("periode"), tahun_terakhir: integer(data, "tahun_terakhir"),
    unit_produsen: text(data, "unit_produsen"), cara_pengumpulan: Number(data.get("cara_pengumpulan")),
    data_utama: text(data, "data_utama"), data_prioritas: data.get("data_prioritas") === "true",
    pemanfaatan: data.get("pemanfaatan") };
}

async function inventoryPage({ query }) {
  const lokusId = query.get("lokus") || "";
  const { lokus, team } = await lokusAndTeam(lokusId);
  const items = await all(`${P}/lokus/${lokusId}/statistical-activities`);
  const reload = () => go(`#/pembinaan/inventaris?lokus=${lokusId}`);
  const editing = h("div", { id: "inventory-edit" });
  const edit = (item) => {
    editing.replaceChildren(subform(`Ubah kegiatan statistik: ${item.judul}`, inventoryFields(item), "Simpan perubahan",
      async (data) => {
        // A PATCH names what it changes; an emptied year is left as it was.
        const body = Object.fromEntries(Object.entries(inventoryBody(data)).filter(([, v]) => v !== null));
        await api("PATCH", `${P}/statistical-activities/${item.id}`, body);
        reload();
      }));
    editing.querySelector("input").focus();
  };
  render(...lokusHeader(lokus, team, "Inventaris kegiatan statistik"),
    items.length ? table("Kegiatan statistik", ["Judul", "Periode", "Terakhir", "Unit produsen", "Cara pengumpulan",
      "Data utama", "Data prioritas", "Pemanfaatan", "Aksi"], items.map((i) => row([i.judul, label(PERIODS, i.periode),
      i.tahun_terakhir ? String(i.tahun_terakhir) : "—", i.unit_produsen, label(COLLECTION, i.cara_pengumpulan),
      i.data_utama, i.data_prioritas ? "Ya" : "Tidak", label(DATA_USES, i.pemanfaatan),
      h("button", { type: "button", class: "secondary", "aria-label": `Ubah ${i.judul}`, text: "Ubah", onclick: () => edit(i) })],
    { "data-id": i.id }))) : empty("Belum ada kegiatan statistik."),
    editing,
    h("h2", { text: "Tambah kegiatan statistik" }),
    subform(null, inventoryFields(), "Tambah", async (data) => {
      await api("POST", `${P}/lokus/${lokusId}/statistical-activities`, inventoryBody(data));
      reload();
    }, { id: "inventory-add" }));
}

async function epssPage({ query }) {
  const lokusId = query.get("lokus") || "";
  const { lokus, team } = await lokusAndTeam(lokusId);
  const items = await all(`${P}/lokus/${lokusId}/epss-candidates`);
  const reload = () => go(`#/pembinaan/epss?lokus=${lokusId}`);
  render(...lokusHeader(lokus, team, "Kandidat kegiatan EPSS"),
    h("p", { class: "hint", text: "Utamakan kegiatan yang menghasilkan data prioritas atau salah satu dari 45 indikator pembangunan nasional." }),
    items.length ? table("Kandidat EPSS", ["Kegiatan", "Tahun", "Cara pengumpulan", "Produsen data", "Alasan", "Catatan"],
      items.map((i) => row([i.nama_kegiatan, String(i.tahun), label(COLLECTION, i.cara_pengumpulan), i.produsen_data,
        i.alasan, i.catatan || "—"]))) : empty("Belum ada kandidat."),
    h("h2", { text: "Tambah kandidat" }),
    subform(null, [
      input("Nama kegiatan", "nama_kegiatan", { required: true }),
      input("Tahun", "tahun", { type: "number", min: 1900, max: 2100, value: new Date().getFullYear(), required: true }),
      select("Cara pengumpulan data", "cara_pengumpulan", COLLECTION, 2),
      input("Produsen data (unit eselon 2)", "produsen_data", { required: true }),
      input("Alasan pemilihan", "alasan", { required: true }),
      input("Catatan", "catatan"),
    ], "Tambah", async (data) => {
      await api("POST", `${P}/lokus/${lokusId}/epss-candidates`, { nama_kegiatan: text(data, "nama_kegiatan"),
        tahun: integer(data, "tahun"), cara_pengumpulan: Number(data.get("cara_pengumpulan")),
        produsen_data: text(data, "produsen_data"), alasan: text(data, "alasan"), catatan: text(data, "catatan") });
      reload();
    }));
}

// -- requests from outside BPS -------------------------------------------------------------

async function requestsPage({ query }) {
  const status = query.get("status") || "";
  const items = await all(`${P}/requests${status ? "?status=" + status : ""}`);
  const filter = h("form", { class: "pb-inline" }, select("Status", "status", [["", "Semua"], ...Object.entries(STATUSES)], status),
    h("button", { type: "submit", class: "secondary", text: "Saring" }));
  filter.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = new FormData(filter).get("status");
    go("#/pembinaan/permintaan" + (chosen ? "?status=" + chosen : ""));
  });
  render(h("h1", { text: "Permintaan pembinaan dari luar BPS" }), filter,
    items.length ? table("Permintaan", ["Perihal", "Pemohon", "Satker", "Surat", "Status"], items.map((r) => row([
      h("a", { href: `#/pembinaan/permintaan/detail?id=${r.id}`, text: r.subject }),
      `${r.requester_name} (${label(LOKUS_KINDS, r.requester_kind)})`, r.satker_code,
      `${r.letter_number}, ${dateText(r.letter_date)}`, label(STATUSES, r.status)]))) : empty("Belum ada permintaan."),
    h("h2", { text: "Catat permintaan" }),
    subform(null, [
      select("Jenis pemohon", "requester_kind", LOKUS_KINDS, "pemda_kabkot"),
      input("Nama instansi pemohon", "requester_name", { required: true }),
      input("Kode satker BPS yang dituju (4 angka)", "satker_code", { inputmode: "numeric", maxlength: 4, required: true }),
      input("Perihal", "subject", { required: true }),
      input("Nomor surat", "letter_number", { required: true }),
      input("Tanggal surat", "letter_date", { type: "date", required: true }),
    ], "Catat permintaan", async (data) => {
      const body = Object.fromEntries(["requester_kind", "requester_name", "satker_code", "subject",
        "letter_number", "letter_date"].map((name) => [name, text(data, name)]));
      const { data: made } = await api("POST", `${P}/requests`, body);
      go(`#/pembinaan/permintaan/detail?id=${made.id}`);
    }));
}

function stepRefusal(error) {
  if (error.status === 403) {
    error.message = "Langkah ini bukan wewenang Anda: disposisi dilakukan kepala kantor BPS yang dituju " +
      "(admin satker) atau sekretariat; langkah lain oleh anggota tim yang sedang memegang permintaan.";
  } else if (error.status === 409) {
    error.message = "Langkah ini tidak bisa dari status permintaan sekarang (mungkin sudah diubah orang lain). " +
      "Muat ulang halaman untuk melihat status terbaru.";
  } else if (error.status === 422 && error.fields.team_id) {
    error.message = "Tim tujuan tidak sesuai: disposisi ke tim yang ada, eskalasi hanya satu tingkat ke atas " +
      "(kabupaten/kota → provinsi yang sama → direktorat), tahun yang sama.";
  } else if (error.status === 422 && error.fields.activity_id) {
    error.message = "Pilih aktivitas inisiatif non-BPS milik tim yang memegang permintaan.";
  }
  return error;
}

async function documentedChoices(request) {
  if (!request.team_id) return [];
  try {
    const lokus = await all(`${P}/lokus?team_id=${encodeURIComponent(request.team_id)}`);
    const lists = await Promise.all(lokus.map((l) => all(`${P}/lokus/${l.id}/activities`)
      .then((items) => items.map((a) => ({ ...a, lokusName: l.name })))));
    return lists.flat().filter((a) => a.inisiatif === "non_bps");
  } catch (error) { return []; }
}

async function requestPage({ query }) {
  const id = query.get("id") || "";
  const request = (await api("GET", `${P}/requests/${id}`)).data;
  const reload = () => go(`#/pembinaan/permintaan/detail?id=${id}`);
  const steps = NEXT[request.status] || [];
  // The teams to choose from: any team for a disposition (the sekretariat's list), the
  // teams one level up for an escalation (the service says which).
  const choices = {
    disposed: steps.includes("disposed") && isSekretariat()
      ? await all(`${P}/teams`).catch(() => []) : [],
    escalated: steps.includes("escalated") && request.team_id
      ? await api("GET", `${P}/requests/${id}/escalation-targets`).then((r) => r.data.items, () => [])
      : [],
  };
  const activities = steps.includes("documented") ? await documentedChoices(request) : [];
  const holder = request.team_id ? await api("GET", `${P}/teams/${request.team_id}`)
    .then((r) => `${r.data.name} (${label(LEVELS, r.data.level)} ${r.data.unit_code})`).catch(() => request.team_id) : null;
  const me = myId();
  const stepForm = (to) => {
    const fields = [input("Catatan", "note")];
    if (to === "disposed" || to === "escalated") {
      const teams = choices[to];
      fields.unshift(teams.length
        ? select(to === "disposed" ? "Tim tujuan" : "Tim satu tingkat di atas", "team_id",
          teams.map((t) => [t.id, `${t.name} (${label(LEVELS, t.level)} ${t.unit_code}, ${t.year})`]))
        : input(to === "disposed" ? "ID tim tujuan" : "ID tim satu tingkat di atas", "team_id", { required: true }));
    }
    if (to === "documented") {
      fields.unshift(activities.length
        ? select("Aktivitas non-BPS yang mendokumentasikan", "activity_id",
          activities.map((a) => [a.id, `${label(FORMS, a.bentuk)}, ${dateText(a.tanggal)} (${a.lokusName})`]))
        : input("ID aktivitas non-BPS", "activity_id", { required: true }));
    }
    fields.unshift(h("p", { class: "hint", text: WHO_STEPS[to] }));
    return subform(STEP_TEXT[to], fields, STEP_TEXT[to], async (data) => {
      const body = { to, note: text(data, "note") };
      if (data.has("team_id")) body.team_id = text(data, "team_id");
      if (data.has("activity_id")) body.activity_id = text(data, "activity_id");
      try { await api("POST", `${P}/requests/${id}/transitions`, body); } catch (error) { throw stepRefusal(error); }
      reload();
    }, { "data-step": to });
  };
  render(crumbs(["#/pembinaan/permintaan", "Permintaan"]), h("h1", { text: request.subject }),
    h("dl", { class: "pb-dl" },
      h("dt", { text: "Pemohon" }), h("dd", { text: `${request.requester_name} (${label(LOKUS_KINDS, request.requester_kind)})` }),
      h("dt", { text: "Satker BPS yang dituju" }), h("dd", { text: request.satker_code }),
      h("dt", { text: "Surat" }), h("dd", { text: `${request.letter_number}, ${dateText(request.letter_date)}` }),
      h("dt", { text: "Status" }), h("dd", { id: "request-status", text: label(STATUSES, request.status) }),
      h("dt", { text: "Tim" }), h("dd", { text: holder || "Belum didisposisikan" })),
    h("h2", { text: "Langkah berikutnya" }),
    steps.length ? h("div", {}, ...steps.map(stepForm)) : empty("Permintaan sudah terdokumentasi; tidak ada langkah lagi."),
    h("h2", { text: "Riwayat" }),
    request.history.length ? table("Riwayat permintaan", ["Waktu", "Dari", "Ke", "Oleh", "Catatan"],
      request.history.map((e) => row([timeText(e.at), label(STATUSES, e.from), label(STATUSES, e.to), e.by === me ? "Anda" : e.by, e.note || "—"])),
      { id: "request-history" }) : empty("Belum ada langkah."));
}

// -- the sekretariat's values --------------------------------------------------------------

async function deadlinesPage({ query }) {
  const year = Number(query.get("year")) || new Date().getFullYear();
  let kept = null; // the year's deadlines as set, or null: none yet
  try { kept = (await api("GET", `${P}/deadlines/${year}`)).data; } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }
  const kinds = [["establishment", "Dokumen penetapan tim"], ["contacts", "Informasi narahubung"],
    ["statistical_activities", "Inventaris kegiatan statistik"], ["epss_candidates", "Kandidat EPSS"],
    ["work_plan", "Rencana kerja"]];
  const yearField = input("Tahun", "year", { type: "number", min: 2000, max: 2100, value: year, required: true });
  yearField.querySelector("input").addEventListener("change", (event) => {
    if (/^[0-9]{4}$/.test(event.target.value)) go(`#/pembinaan/tenggat?year=${event.target.value}`);
  });
  render(h("h1", { text: "Tenggat pelaporan" }),
    h("p", { id: "deadlines-state", class: "hint", text: kept
      ? `Tenggat tahun ${year} terakhir diubah ${timeText(kept.updated_at)}.`
      : `Belum ada tenggat untuk tahun ${year}.` }),
    subform(null, [
      yearField,
      ...kinds.map(([name, t]) => input(t, name, { type: "date", required: true, value: (kept && kept[name]) || "" })),
    ], "Simpan tenggat", async (data, box) => {
    const body = Object.fromEntries(kinds.map(([name]) => [name, text(data, name)]));
    await api("PUT", `${P}/deadlines/${integer(data, "year")}`, body);
    message(box, "Tenggat tersimpan.", "ok");
  }), h("h2", { text: "Pelatihan (peningkatan kapasitas)" }), subform(null, [
    input("ID akun pembina", "account_id", { required: true }),
    input("Judul pelatihan", "title", { required: true }),
    input("Tanggal", "date", { type: "date", required: true }),
  ], "Catat pelatihan", async (data, box) => {
    await api("POST", `${P}/trainings`, { account_id: text(data, "account_id"), title: text(data, "title"), date: text(data, "date") });
    message(box, "Pelatihan tercatat.", "ok");
  }));
}

function budgetPage() {
  const out = h("div", { "aria-live": "polite" });
  const el = subform(null, [input("Jumlah K/L", "kl_count", { type: "number", min: 1, max: 1000, value: 5, required: true })],
    "Hitung", async (data, box) => {
      const n = integer(data, "kl_count");
      const [full, trip] = await Promise.all([api("GET", `${P}/budget/fullday?kl_count=${n}`),
        api("GET", `${P}/budget/transport?kl_count=${n}`)]);
      const b = full.data.breakdown;
      message(box, "", "info");
      out.replaceChildren(table(`Peserta satu fullday meeting untuk ${n} K/L`, ["Unsur", "Orang"], [
        row(["Walidata", String(b.walidata)]), row(["Produsen data", String(b.produsen_data)]),
        row(["Tim pembina", String(b.tim_pembina)]), row(["Pimpinan BPS", String(b.pimpinan_bps)]),
        row(["Narasumber dan pendamping", String(b.narasumber)]), row(["Pendukung", String(b.pendukung)]),
        row(["Jumlah", String(full.data.participants)], { class: "pb-total" })]),
      h("p", { id: "transport-trips", text: `Transport lokal: ${trip.data.trips} perjalanan ` +
        "(1 rapat identifikasi + 6 rapat penguatan, 3 orang per instansi)." }));
    });
  render(h("h1", { text: "Kalkulator anggaran" }),
    h("p", { class: "hint", text: "Standar juknis 2025: 15n + 16 peserta per fullday meeting, 21n perjalanan transport lokal." }),
    el, out);
}

export const pembinaanPages = {
  "/pembinaan": teamsPage,
  "/pembinaan/tim": teamPage,
  "/pembinaan/lokus": lokusPage,
  "/pembinaan/rencana": workPlanPage,
  "/pembinaan/aktivitas": activitiesPage,
  "/pembinaan/narahubung": contactsPage,
  "/pembinaan/inventaris": inventoryPage,
  "/pembinaan/epss": epssPage,
  "/pembinaan/permintaan": requestsPage,
  "/pembinaan/permintaan/detail": requestPage,
  "/pembinaan/tenggat": deadlinesPage,
  "/pembinaan/anggaran": budgetPage,
  ...monitoringPages,
};
