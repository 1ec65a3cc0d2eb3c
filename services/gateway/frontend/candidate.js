// The candidate's pages (mobile-first): profile with the NIK read back, documents, the open
// activities of a satker, apply, and one status page with every stage.
import { indonesian } from "./accounts.js";
import { api, upload } from "./api.js";
import { field, form, go, h, message, show } from "./dom.js";
import { decodeNik, describeNik, nikMismatches } from "./nik.js";
import { testDay } from "./test.js";

const DOCUMENT_KINDS = {
  photo: "Pas foto", ktp: "KTP", ijazah: "Ijazah terakhir", cv: "Daftar riwayat hidup",
  phone_spec: "Spesifikasi ponsel", application_letter: "Surat lamaran",
  pakta_integritas: "Pakta integritas",
};
const MAX_UPLOAD_MB = 10;
// The profile's refusals from the server (English) as Indonesian, next to each field.
const PROFILE_TEXT = [
  [/^Must be "L" or "P"/, () => "Pilih jenis kelamin."],
  [/NIK must be exactly 16 digits/, () => "NIK harus tepat 16 angka."],
  [/NIK does not encode a valid birth date/, () => "Tanggal lahir di dalam NIK tidak valid."],
  [/first 6 digits of the NIK/, () => "Enam angka pertama NIK bukan kode kecamatan yang dikenal."],
  [/encoded in the NIK is not a real date/, () => "Tanggal lahir di dalam NIK bukan tanggal yang ada."],
  [/NIK does not match the birth date/, () => "NIK tidak cocok dengan tanggal lahir."],
  [/NIK does not match the sex/, () => "NIK tidak cocok dengan jenis kelamin."],
  [/last 4 digits of the NIK/, () => "Empat angka terakhir NIK tidak boleh 0000."],
  [/^Must be a date/, () => "Isi tanggal lahir."],
  [/birth date is in the future/, () => "Tanggal lahir tidak boleh di masa depan."],
  [/at least (\d+) years old/, (m) => `Usia paling sedikit ${m[1]} tahun.`],
  [/^Unknown regency/, () => "Kode kabupaten/kota tidak dikenal."],
  [/^Unknown education level/, () => "Pilih pendidikan terakhir."],
  [/Indonesian phone number/, () => "Nomor ponsel Indonesia tidak valid."],
  [/^Must not be blank/, () => "Wajib diisi."],
];
const EDUCATION = ["SD", "SMP", "SMA", "D1", "D2", "D3", "D4", "S1", "S2", "S3"];
const STATEMENTS = {
  healthy: "Saya sehat jasmani dan rohani", disciplined: "Saya disiplin dan bertanggung jawab",
  willing_contract: "Saya bersedia menandatangani kontrak",
  willing_training: "Saya bersedia mengikuti pelatihan", literate: "Saya dapat membaca dan menulis",
};
const FLAGS = {
  is_asn: "Saya ASN (PNS/PPPK)",
  has_other_institution_contract: "Saya terikat kontrak dengan instansi lain",
  has_bps_experience: "Pernah menjadi mitra BPS", has_capi_experience: "Pernah memakai CAPI",
  owns_smartphone: "Memiliki ponsel pintar", can_use_computer: "Dapat memakai komputer",
  can_ride_motorbike: "Dapat mengendarai sepeda motor",
};


async function profilePage() {
  let current = {};
  try { current = (await api("GET", "/me/profile")).data || {}; } catch (error) {
    if (error.status !== 404) throw error;
  }
  const select = (label, name, options, value) => h("div", { class: "field" },
    h("label", { for: "f-" + name, text: label }),
    h("select", { id: "f-" + name, name, "aria-describedby": `f-${name}-error` },
      ...options.map(([v, t]) => h("option", { value: v, selected: v === value, text: t }))),
    h("p", { class: "error", id: `f-${name}-error`, "data-error-for": name, "aria-live": "polite" }));
  const check = (name, text, checked) => h("div", { class: "check" },
    h("input", { type: "checkbox", id: "f-" + name, name, checked: !!checked }),
    h("label", { for: "f-" + name, text }));
  const nikInfo = h("p", { id: "nik-info", class: "hint", "aria-live": "polite" });
  const domicileInfo = h("p", { id: "domicile-info", class: "hint", "aria-live": "polite" });
  const el = form("Profil", [
    field("NIK (16 angka, sesuai KTP)", "nik", { inputmode: "numeric", maxlength: 16,
      value: current.nik || "", autocomplete: "off", "aria-describedby": "nik-info f-nik-error" }),
    nikInfo,
    field("Nama lengkap", "full_name", { value: current.full_name || "", autocomplete: "name" }),
    select("Jenis kelamin", "sex", [["", "— pilih —"], ["L", "Laki-laki"], ["P", "Perempuan"]], current.sex),
    field("Tanggal lahir", "birth_date", { type: "date", value: current.birth_date || "" }),
    field("Nomor ponsel", "phone", { type: "tel", value: current.phone || "", autocomplete: "tel" }),
    field("Alamat", "address", { value: current.address || "" }),
    field("Kode kabupaten/kota domisili (4 angka)", "domicile_regency_code",
      { inputmode: "numeric", maxlength: 4, value: current.domicile_regency_code || "",
        "aria-describedby": "domicile-info f-domicile_regency_code-error" }),
    domicileInfo,
    select("Pendidikan terakhir", "education", EDUCATION.map((e) => [e, e]), current.education || "SMA"),
    field("Pekerjaan", "occupation", { value: current.occupation || "" }),
    h("fieldset", {}, h("legend", { text: "Keterangan" }),
      ...Object.entries(FLAGS).map(([name, text]) => check(name, text, current[name]))),
    h("fieldset", {}, h("legend", { text: "Pernyataan" }),
      ...Object.entries(STATEMENTS).map(([name, text]) =>
        check("st_" + name, text, current.statements && current.statements[name]))),
  ], "Simpan profil", async (data, box) => {
    const body = {};
    for (const name of ["nik", "full_name", "sex", "birth_date", "phone", "address",
      "domicile_regency_code", "education", "occupation"]) body[name] = data.get(name) || "";
    for (const name of Object.keys(FLAGS)) body[name] = data.get(name) === "on";
    body.statements = {};
    for (const name of Object.keys(STATEMENTS)) body.statements[name] = data.get("st_" + name) === "on";
    try {
      await api("PUT", "/me/profile", body);
    } catch (error) {
      if (error.status === 409) {
        error.message = "NIK ini sudah terdaftar pada akun lain.";
        error.fields = { nik: [] };
      }
      throw indonesian(error, PROFILE_TEXT);
    }
    message(box, "Profil tersimpan. Lanjutkan dengan mengunggah dokumen.", "ok");
  });
  let asked = 0; // the latest update wins: an earlier answer arriving late is dropped
  const update = async () => {
    const mine = ++asked;
    const nik = el.elements.nik.value.trim();
    if (!nik) { nikInfo.textContent = ""; return; }
    const info = decodeNik(nik);
    if (info.error) { nikInfo.textContent = info.error; nikInfo.className = "hint warn"; return; }
    const notes = nikMismatches(info, el.elements.birth_date.value, el.elements.sex.value);
    const render = (place) => {
      nikInfo.textContent = [describeNik(info, place), ...notes].join(" · ");
      nikInfo.className = notes.length ? "hint warn" : "hint ok";
    };
    render(null);
    const place = await region(info.kecamatan);
    if (mine !== asked) return; // typed on meanwhile
    if (place === UNKNOWN) {
      notes.push("Kode wilayah NIK tidak dikenal. Periksa enam angka pertama.");
      render(null);
    } else if (place) render(place);
  };
  const updateDomicile = async () => {
    const code = el.elements.domicile_regency_code.value.trim();
    if (!/^[0-9]{4}$/.test(code)) { domicileInfo.textContent = ""; return; }
    const place = await region(code);
    if (el.elements.domicile_regency_code.value.trim() !== code) return;
    domicileInfo.textContent = place === UNKNOWN ? "Kode kabupaten/kota tidak dikenal."
      : place ? `${place.name}, ${place.province_name}` : "";
    domicileInfo.className = place === UNKNOWN ? "hint warn" : "hint ok";
  };
  for (const name of ["nik", "birth_date", "sex"]) el.elements[name].addEventListener("input", update);
  el.elements.sex.addEventListener("change", update);
  el.elements.domicile_regency_code.addEventListener("input", updateDomicile);
  update();
  updateDomicile();
}

// Region names by code (GET /regions/{code}), asked once per code: UNKNOWN for a 404, null
// when the answer could not be had (offline: the codes are shown and the server decides).
const UNKNOWN = "unknown";
const regions = new Map();
function region(code) {
  if (!regions.has(code)) {
    regions.set(code, api("GET", "/regions/" + code).then(({ data }) => data, (error) => {
      if (error.status === 404) return UNKNOWN;
      regions.delete(code);
      return null;
    }));
  }
  return regions.get(code);
}

async function documentsPage() {
  const uploaded = h("ul", { id: "uploaded" });
  const refresh = async () => {
    const { data } = await api("GET", "/me/documents");
    uploaded.replaceChildren(...data.items.map((d) => h("li", { "data-kind": d.kind },
      `${DOCUMENT_KINDS[d.kind] || d.kind}: terunggah (${Math.ceil(d.size / 1024)} KB)`)));
  };
  const rows = Object.entries(DOCUMENT_KINDS).map(([kind, label]) => {
    const progress = h("progress", { max: 1, value: 0, hidden: true, "aria-label": "Kemajuan unggah " + label });
    const box = h("p", { class: "msg", role: "status" });
    const input = h("input", { type: "file", id: "doc-" + kind, name: kind,
      accept: kind === "photo" ? "image/jpeg,image/png" : "image/jpeg,image/png,application/pdf",
      capture: kind === "photo" ? "user" : "environment" });
    input.addEventListener("change", async () => {
      const file = input.files[0];
      if (!file) return;
      if (file.size > MAX_UPLOAD_MB * 1024 * 1024) {
        message(box, `Berkas lebih dari ${MAX_UPLOAD_MB} MB. Pilih berkas yang lebih kecil.`, "error");
        return;
      }
      progress.hidden = false;
      message(box, "Mengunggah…");
      try {
        await upload("/me/documents/" + kind, file, (part) => { progress.value = part; });
        progress.value = 1;
        message(box, "Terunggah.", "ok");
        await refresh();
      } catch (error) { message(box, error.message, "error"); }
    });
    return h("div", { class: "field doc" }, h("label", { for: "doc-" + kind, text: label }),
      input, progress, box);
  });
  show(h("h1", { text: "Dokumen" }),
    h("p", { class: "hint", text: `JPEG, PNG atau PDF, paling besar ${MAX_UPLOAD_MB} MB per berkas. ` +
      "Pas foto, KTP dan ijazah wajib; dokumen lain bila diminta kegiatan." }),
    ...rows, h("h2", { text: "Sudah diunggah" }), uploaded);
  await refresh();
}

function describeRequirements(req) {
  const rule = (r) => (r && r.rule === "mandatory" ? "wajib" : "diutamakan");
  const items = [];
  if (req.age) items.push(`Usia ${req.age.min ?? "-"}–${req.age.max ?? "-"} tahun (${rule(req.age)})`);
  if (req.education) items.push(`Pendidikan minimal ${req.education.min} (${rule(req.education)})`);
  if (req.domicile) items.push(`Berdomisili di wilayah satker (${rule(req.domicile)})`);
  if (req.not_asn) items.push(`Bukan ASN (${rule(req.not_asn)})`);
  if (req.extra_documents && req.extra_documents.length) {
    items.push("Dokumen tambahan: " + req.extra_documents.map((k) => DOCUMENT_KINDS[k] || k).join(", "));
  }
  return items;
}

async function activitiesPage({ query }) {
  const list = h("div", { id: "activities" });
  const el = form("Kegiatan yang dibuka", [
    field("Kode satker (4 angka, mis. 3528)", "satker_code",
      { inputmode: "numeric", maxlength: 4, value: query.get("satker") || "" }),
  ], "Cari", async (data) => {
    go("#/kegiatan?satker=" + encodeURIComponent(data.get("satker_code")));
  }, [list]);
  const satker = query.get("satker");
  if (!satker) return;
  const { data } = await api("GET", `/activities?satker_code=${encodeURIComponent(satker)}&open=true`);
  if (!data.items.length) list.append(h("p", { text: "Tidak ada kegiatan yang sedang dibuka." }));
  for (const activity of data.items) {
    const box = h("p", { class: "msg", role: "status" });
    const apply = h("button", { type: "button", text: "Daftar kegiatan ini", onclick: async () => {
      apply.disabled = true;
      try {
        const { data: made } = await api("POST", `/activities/${activity.id}/applications`, {});
        message(box, `Pendaftaran terkirim. Nomor pendaftaran: ${made.registration_number}.`, "ok");
        box.after(h("a", { href: "#/status", text: "Lihat status pendaftaran" }));
      } catch (error) {
        const missing = error.fields && Object.keys(error.fields).length
          ? " Yang belum lengkap: " + Object.keys(error.fields).map((k) => DOCUMENT_KINDS[k] || k).join(", ") + "."
          : "";
        message(box, error.message + missing, "error");
        apply.disabled = false;
      }
    } });
    list.append(h("article", { class: "card" },
      h("h2", { text: activity.name }),
      h("p", { text: `Pendaftaran ditutup ${new Date(activity.registration_closes_at).toLocaleString("id-ID")}` +
        (activity.quota ? ` · Kuota ${activity.quota}` : "") }),
      h("ul", {}, ...describeRequirements(activity.requirements || {}).map((t) => h("li", { text: t }))),
      apply, box));
  }
  el.after(list);
}

const ADMIN_TEXT = {
  pending: ["Menunggu pemeriksaan", "Berkas Anda menunggu diperiksa panitia. Pastikan profil dan dokumen lengkap."],
  needs_confirmation: ["Perlu konfirmasi", "Panitia meminta konfirmasi. Periksa alasan di bawah dan perbaiki data Anda."],
  accepted: ["Diterima", "Anda lolos seleksi administrasi. Lanjutkan ke ujian kompetensi."],
  rejected: ["Tidak diterima", "Anda tidak lolos seleksi administrasi."],
};
const TEST_TEXT = {
  not_booked: ["Belum memilih sesi", "Pilih satu sesi ujian (tidak dapat diubah)."],
  booked: ["Sesi dipilih", "Datang tepat waktu dan mulai ujian saat sesi berlangsung."],
  in_progress: ["Sedang berlangsung", "Lanjutkan ujian Anda sebelum waktu habis."],
  completed: ["Selesai", "Ujian selesai. Hasil akhir diumumkan pada tanggal pengumuman."],
  missed: ["Tidak mengikuti", "Anda tidak memulai ujian pada sesi yang dipilih."],
};
const FINAL_TEXT = {
  pending: ["Menunggu pengumuman", "Hasil akhir diumumkan pada tanggal pengumuman."],
  accepted: ["Diterima", "Selamat! Anda diterima sebagai mitra. Tunggu informasi dari satker."],
  rejected: ["Tidak diterima", "Terima kasih telah mengikuti seleksi."],
  withdrawn: ["Mengundurkan diri", "Anda dianggap mengundurkan diri karena tidak mengikuti ujian."],
};

function stage(title, table, status, extra) {
  const [label, next] = table[status] || [status || "-", ""];
  return h("section", { class: "stage", "data-stage": title },
    h("h3", { text: title }), h("p", { class: "badge", text: label }), h("p", { text: next }), extra);
}

const known = (value) => value !== null && value !== undefined;
const decimal = (value) => Number(value).toLocaleString("id-ID", { maximumFractionDigits: 2 });

async function statusPage() {
  const { data } = await api("GET", "/me/applications");
  const cards = data.items.map((app) => {
    const admin = app.administrative || {};
    const test = app.test || {};
    const fin = app.final || {};
    const waiting = admin.status === "pending" ? h("p", { class: "hint", text: "Status: menunggu" }) : null;
    const testLink = admin.status === "accepted" && ["not_booked", "booked", "in_progress"].includes(test.status)
      ? h("a", { class: "button", href: "#/ujian?kegiatan=" + app.activity_id,
        text: test.status === "not_booked" ? "Pilih sesi ujian" : "Buka halaman ujian" })
      : null;
    return h("article", { class: "card" },
      h("h2", { text: "Nomor pendaftaran " + app.registration_number }),
      stage("Seleksi administrasi", ADMIN_TEXT, admin.status,
        [waiting, admin.reason ? h("p", { text: "Alasan: " + admin.reason }) : null]),
      stage("Ujian kompetensi", TEST_TEXT, admin.status === "accepted" ? test.status : null,
        [testLink, known(test.score) ? h("p", { text: "Nilai ujian: " + decimal(test.score) }) : null]),
      stage("Hasil akhir", FINAL_TEXT, fin.status,
        known(fin.score) ? h("p", { text: "Nilai akhir: " + decimal(fin.score) }) : null));
  });
  show(h("h1", { text: "Status pendaftaran" }),
    ...(cards.length ? cards : [h("p", {}, "Belum ada pendaftaran. ",
      h("a", { href: "#/kegiatan", text: "Lihat kegiatan yang dibuka" }))]));
}

export const candidatePages = {
  "/profil": profilePage,
  "/dokumen": documentsPage,
  "/kegiatan": activitiesPage,
  "/status": statusPage,
  "/ujian": ({ query }) => testDay(query.get("kegiatan")),
};
