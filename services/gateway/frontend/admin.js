// The satker admin's recruitment pages: activities, the review queue, decisions, exports.
// Files (documents, exports) come through fetch with the Bearer token as blobs: a bare link
// would carry no token.
import { ApiError, api, download, fetchFile, token } from "./api.js";
import { form, go, h, message, show, showError } from "./dom.js";

const EDUCATION = ["SD", "SMP", "SMA", "D1", "D2", "D3", "D4", "S1", "S2", "S3"];
const DOCUMENT_KINDS = {
  photo: "Pas foto", ktp: "KTP", ijazah: "Ijazah terakhir", cv: "Daftar riwayat hidup",
  phone_spec: "Spesifikasi ponsel", application_letter: "Surat lamaran",
  pakta_integritas: "Pakta integritas",
};
// What an activity may ask for beyond photo, KTP and ijazah (always required); the pakta
// integritas is signed after the final selection, never at registration.
const EXTRA_DOCUMENTS = ["cv", "phone_spec", "application_letter"];
// Requirements that are only a rule, with what meeting them means.
const SIMPLE = {
  domicile: "Berdomisili di wilayah satker",
  not_asn: "Bukan ASN (PNS/PPPK)",
  bps_experience: "Pernah menjadi mitra BPS",
  devices: "Memiliki ponsel pintar atau dapat memakai komputer",
  motorbike: "Dapat mengendarai sepeda motor",
  no_other_contract: "Tidak terikat kontrak dengan instansi lain",
};
const RULES = [["", "Tidak disyaratkan"], ["mandatory", "Wajib"], ["preferred", "Diutamakan"]];
const RULE_TEXT = { mandatory: "wajib", preferred: "diutamakan" };
const STATUS = {
  pending: "Menunggu pemeriksaan", needs_confirmation: "Perlu konfirmasi",
  accepted: "Diterima", rejected: "Tidak diterima",
};
const DECISIONS = [["accepted", "Diterima"], ["needs_confirmation", "Perlu konfirmasi"],
  ["rejected", "Tidak diterima"]];
// A met rule in plain words (the preferred ones the candidate meets).
const MET = {
  age: "Usia sesuai", education: "Pendidikan memenuhi", ...SIMPLE,
};
// A mandatory rule not met, in plain words.
const FAILED = {
  not_asn: "Calon mitra adalah ASN, padahal disyaratkan bukan ASN",
  age: "Usia di luar batas yang disyaratkan",
  education: "Pendidikan di bawah minimal yang disyaratkan",
  domicile: "Domisili di luar wilayah satker",
  bps_experience: "Belum pernah menjadi mitra BPS",
  devices: "Tidak memiliki ponsel pintar dan tidak dapat memakai komputer",
  motorbike: "Tidak dapat mengendarai sepeda motor",
  no_other_contract: "Terikat kontrak dengan instansi lain",
};
// The server's field messages that have an Indonesian wording here; others are shown as sent.
const MESSAGES = {
  "Must be after registration_opens_at.": "Harus sesudah waktu pendaftaran dibuka.",
  "Must not be before registration_closes_at.": "Tidak boleh sebelum pendaftaran ditutup.",
  "Missing data for required field.": "Wajib diisi.",
  "Field may not be null.": "Wajib diisi.",
  "Must not be less than min.": "Tidak boleh kurang dari batas bawah.",
  "Shorter than minimum length 1.": "Wajib diisi.",
  "Not a valid integer.": "Isi dengan bilangan bulat.",
};
const PER_PAGE = 10;

// Object URLs of the documents shown: released when an admin page is drawn again.
let objectUrls = [];
function releaseUrls() {
  objectUrls.forEach((url) => URL.revokeObjectURL(url));
  objectUrls = [];
}

// A page wide enough for the review side by side (style.css widens main around .ad-wide).
function showWide(...children) {
  releaseUrls();
  show(h("div", { class: "ad-wide" }, ...children));
}

function satkerCode() {
  return token.who().satker_code || "";
}

function when(iso) {
  if (!iso) return "-";
  return new Date(iso).toLocaleString("id-ID", { dateStyle: "medium", timeStyle: "short" });
}

// ISO time -> the value of a datetime-local input (the device's time zone), and back.
function localInput(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  const two = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}
function isoOf(local) {
  if (!local) return null;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? local : d.toISOString();
}

function numberOrNull(text) {
  const value = String(text || "").trim();
  if (!value) return null;
  return /^-?\d+$/.test(value) ? Number(value) : value; // the server refuses what is not a number
}

function exportButtons(activityId) {
  const box = h("p", { class: "msg", role: "status", "aria-live": "polite" });
  const button = (format, text) => {
    const el = h("button", { type: "button", class: "secondary", "data-export": format, text,
      onclick: async () => {
        el.disabled = true;
        message(box, "Menyiapkan berkas…");
        try {
          await download(
            `/activities/${encodeURIComponent(activityId)}/applications/export?format=${format}`,
            `pendaftar.${format}`);
          message(box, `Berkas ${format.toUpperCase()} diunduh.`, "ok");
        } catch (error) {
          message(box, error.message, "error");
        } finally {
          el.disabled = false;
        }
      } });
    return el;
  };
  return h("div", { class: "ad-exports" }, button("csv", "Unduh CSV"), button("xlsx", "Unduh XLSX"), box);
}

function describeRequirements(req) {
  const items = [];
  const rule = (r) => RULE_TEXT[r.rule] || r.rule;
  if (req.age) items.push(`Usia ${req.age.min}–${req.age.max} tahun (${rule(req.age)})`);
  if (req.education) items.push(`Pendidikan minimal ${req.education.min} (${rule(req.education)})`);
  for (const [key, text] of Object.entries(SIMPLE)) {
    if (req[key]) items.push(`${text} (${rule(req[key])})`);
  }
  const extra = req.extra_documents || [];
  items.push("Dokumen: pas foto, KTP, ijazah" +
    (extra.length ? ", " + extra.map((k) => DOCUMENT_KINDS[k] || k).join(", ") : ""));
  return items;
}

function windowText(activity) {
  const now = Date.now();
  if (activity.is_open) return "Pendaftaran dibuka";
  if (now < new Date(activity.registration_opens_at).getTime()) return "Belum dibuka";
  if (now < new Date(activity.announcement_at).getTime()) return "Pendaftaran ditutup";
  return "Sudah diumumkan";
}

// -- activities ---------------------------------------------------------------------------------

async function activitiesPage({ query }) {
  const satker = satkerCode();
  const page = Math.max(1, Number(query.get("halaman")) || 1);
  const heading = h("h1", { text: "Kegiatan rekrutmen" + (satker ? ` satker ${satker}` : "") });
  if (!satker) {
    showWide(heading, h("p", { class: "msg error", role: "alert",
      text: "Akun ini tidak terikat pada satker. Halaman ini untuk admin satker." }));
    return;
  }
  const { data } = await api("GET",
    `/activities?satker_code=${encodeURIComponent(satker)}&page=${page}&per_page=20`);
  const made = query.get("dibuat");
  const notice = made ? h("p", { class: "msg ok", role: "status",
    text: "Kegiatan tersimpan." }) : null;
  const cards = data.items.map((activity) => {
    const id = encodeURIComponent(activity.id);
    const titleId = "kegiatan-" + activity.id;
    return h("article", { class: "card ad-activity" + (made === activity.id ? " ad-fresh" : ""),
      "aria-labelledby": titleId, "data-activity": activity.id },
      h("h2", { id: titleId, text: activity.name }),
      h("p", { class: "badge", text: windowText(activity) }),
      h("dl", { class: "ad-facts" },
        h("dt", { text: "Tahun" }), h("dd", { text: String(activity.year) }),
        h("dt", { text: "Pendaftaran" }),
        h("dd", { text: `${when(activity.registration_opens_at)} – ${when(activity.registration_closes_at)}` }),
        h("dt", { text: "Pengumuman" }), h("dd", { text: when(activity.announcement_at) }),
        h("dt", { text: "Kuota" }), h("dd", { text: activity.quota ? String(activity.quota) : "Tanpa kuota" }),
        h("dt", { text: "Pendaftar" }), h("dd", { text: String(activity.application_count ?? 0) })),
      h("ul", { class: "ad-reqs" }, ...describeRequirements(activity.requirements || {})
        .map((text) => h("li", { text }))),
      h("p", { class: "ad-actions" },
        h("a", { class: "button", href: `#/admin/seleksi-administrasi?kegiatan=${id}`,
          text: "Seleksi administrasi" }),
        h("a", { class: "button", href: `#/admin/ujian?kegiatan=${id}`, text: "Ujian kompetensi" }),
        h("a", { class: "button", href: `#/admin/seleksi-akhir?kegiatan=${id}`, text: "Seleksi akhir" }),
        h("a", { class: "button secondary", href: `#/admin/kegiatan/ubah?kegiatan=${id}`,
          text: "Ubah kegiatan", "aria-label": "Ubah kegiatan " + activity.name })),
      exportButtons(activity.id));
  });
  const pages = Math.max(1, Math.ceil(data.total / 20));
  showWide(heading, notice,
    h("p", {}, h("a", { class: "button", href: "#/admin/kegiatan/baru", text: "Buat kegiatan baru" })),
    ...(cards.length ? cards : [h("p", { text: "Belum ada kegiatan. Buat kegiatan baru untuk membuka pendaftaran." })]),
    pager(page, pages, (n) => `#/admin/kegiatan?halaman=${n}`));
}

function pager(page, pages, hrefOf) {
  if (pages <= 1) return null;
  return h("nav", { class: "ad-pager", "aria-label": "Halaman" },
    page > 1 ? h("a", { href: hrefOf(page - 1), text: "‹ Sebelumnya" }) : null,
    h("span", { text: ` Halaman ${page} dari ${pages} ` }),
    page < pages ? h("a", { href: hrefOf(page + 1), text: "Berikutnya ›" }) : null);
}

// -- the activity form --------------------------------------------------------------------------

function errorLine(key) {
  return h("p", { class: "error", "data-error-for": key, "aria-live": "polite" });
}

// A labelled control with its error line; ``key`` is the field's name in the API's errors.
function control(label, id, input, key, hint) {
  input.id = id;
  if (hint) input.setAttribute("aria-describedby", id + "-hint");
  return h("div", { class: "field" }, h("label", { for: id, text: label }), input,
    hint ? h("p", { class: "hint", id: id + "-hint", text: hint }) : null, errorLine(key));
}

function selectOf(name, options, value) {
  return h("select", { name },
    ...options.map(([v, t]) => h("option", { value: v, selected: v === (value ?? ""), text: t })));
}

function requirementFields(req) {
  const age = req.age || {};
  const education = req.education || {};
  const extra = new Set(req.extra_documents || []);
  return [
    h("fieldset", { class: "ad-req" }, h("legend", { text: "Usia (tahun, pada tanggal mendaftar)" }),
      h("div", { class: "ad-inline" },
        control("Usia minimal", "f-age_min", h("input", { name: "age_min", type: "number",
          inputmode: "numeric", min: 15, max: 80, value: age.min ?? "" }), "requirements.age.min"),
        control("Usia maksimal", "f-age_max", h("input", { name: "age_max", type: "number",
          inputmode: "numeric", min: 15, max: 80, value: age.max ?? "" }), "requirements.age.max"),
        control("Aturan usia", "f-age_rule", selectOf("age_rule", RULES, age.rule),
          "requirements.age.rule")),
      errorLine("requirements.age")),
    h("fieldset", { class: "ad-req" }, h("legend", { text: "Pendidikan" }),
      h("div", { class: "ad-inline" },
        control("Pendidikan minimal", "f-education_min", selectOf("education_min",
          EDUCATION.map((e) => [e, e]), education.min || "SMA"), "requirements.education.min"),
        control("Aturan pendidikan", "f-education_rule", selectOf("education_rule", RULES,
          education.rule), "requirements.education.rule")),
      errorLine("requirements.education")),
    h("fieldset", { class: "ad-req" }, h("legend", { text: "Syarat lain" }),
      ...Object.entries(SIMPLE).map(([key, text]) =>
        control(text, "f-rule_" + key, selectOf("rule_" + key, RULES, (req[key] || {}).rule),
          "requirements." + key))),
    h("fieldset", { class: "ad-req" }, h("legend", { text: "Dokumen tambahan (pas foto, KTP dan ijazah selalu wajib)" }),
      ...EXTRA_DOCUMENTS.map((kind) => h("div", { class: "check" },
        h("input", { type: "checkbox", id: "f-doc_" + kind, name: "doc_" + kind, checked: extra.has(kind) }),
        h("label", { for: "f-doc_" + kind, text: DOCUMENT_KINDS[kind] }))),
      errorLine("requirements.extra_documents")),
    errorLine("requirements"),
  ];
}

function requirementsOf(data) {
  const req = {};
  if (data.get("age_rule")) {
    req.age = { min: numberOrNull(data.get("age_min")), max: numberOrNull(data.get("age_max")),
      rule: data.get("age_rule") };
  }
  if (data.get("education_rule")) {
    req.education = { min: data.get("education_min"), rule: data.get("education_rule") };
  }
  for (const key of Object.keys(SIMPLE)) {
    if (data.get("rule_" + key)) req[key] = { rule: data.get("rule_" + key) };
  }
  req.extra_documents = EXTRA_DOCUMENTS.filter((kind) => data.get("doc_" + kind) === "on");
  return req;
}

// marshmallow nests the errors ({requirements: {age: {max: [...]}}}), the services name them
// with dots ("requirements.age.max"): one form for showError, in Indonesian where known.
function flatErrors(errors, prefix = "", out = {}) {
  for (const [key, value] of Object.entries(errors || {})) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value) || typeof value !== "object" || value === null) {
      out[name] = [].concat(value).map((text) => MESSAGES[text] || text);
    } else {
      flatErrors(value, name, out);
    }
  }
  return out;
}

// A refusal as the form shows it: field errors beside their fields, the others in the message.
function explain(error, el) {
  if (!(error instanceof ApiError)) return error;
  error.fields = flatErrors(error.fields);
  const loose = Object.entries(error.fields)
    .filter(([name]) => !el.querySelector(`[data-error-for="${CSS.escape(name)}"]`))
    .map(([name, texts]) => `${name}: ${texts.join(" ")}`);
  if (error.status === 409) {
    error.message = "Tidak dapat disimpan: " + (error.problem.detail ||
      "kuota tidak boleh kurang dari jumlah pendaftar.");
  }
  if (loose.length) error.message += " " + loose.join("; ");
  return error;
}

async function activityFormPage({ query }) {
  releaseUrls();
  const id = query.get("kegiatan");
  let current = { requirements: {} };
  if (id) current = (await api("GET", `/activities/${encodeURIComponent(id)}`)).data;
  const satker = current.satker_code || satkerCode();
  const year = current.year || new Date().getFullYear();
  const fields = [
    control("Nama kegiatan", "f-name", h("input", { name: "name", maxlength: 200,
      value: current.name || "", required: true }), "name"),
    id ? h("p", { class: "hint", text: `Satker ${satker} · tahun ${year} (tidak dapat diubah)` })
      : control("Tahun", "f-year", h("input", { name: "year", type: "number", inputmode: "numeric",
        min: 2000, max: 2100, value: year, required: true }), "year"),
    h("fieldset", {}, h("legend", { text: "Jadwal (waktu perangkat ini)" }),
      control("Pendaftaran dibuka", "f-registration_opens_at", h("input", { name: "registration_opens_at",
        type: "datetime-local", value: localInput(current.registration_opens_at), required: true }),
      "registration_opens_at"),
      control("Pendaftaran ditutup", "f-registration_closes_at", h("input", { name: "registration_closes_at",
        type: "datetime-local", value: localInput(current.registration_closes_at), required: true }),
      "registration_closes_at", "Sesudah waktu dibuka."),
      control("Pengumuman hasil", "f-announcement_at", h("input", { name: "announcement_at",
        type: "datetime-local", value: localInput(current.announcement_at), required: true }),
      "announcement_at", "Tidak sebelum pendaftaran ditutup.")),
    control("Kuota pendaftar", "f-quota", h("input", { name: "quota", type: "number", inputmode: "numeric",
      min: 1, value: current.quota ?? "" }), "quota", "Kosongkan bila tanpa kuota."),
    h("h2", { text: "Persyaratan" }),
    h("p", { class: "hint", text: "Wajib: yang tidak memenuhi ditandai saat pemeriksaan. " +
      "Diutamakan: tidak menggugurkan, hanya menambah nilai." }),
    ...requirementFields(current.requirements || {}),
  ];
  const el = form(id ? "Ubah kegiatan" : "Buat kegiatan baru", fields,
    id ? "Simpan perubahan" : "Buat kegiatan", async (data, box, formEl) => {
      // A time left as it was is sent as it was (the input keeps minutes only).
      const time = (name) => (current[name] && localInput(current[name]) === data.get(name)
        ? current[name] : isoOf(data.get(name)));
      const body = {
        name: data.get("name") || "",
        registration_opens_at: time("registration_opens_at"),
        registration_closes_at: time("registration_closes_at"),
        announcement_at: time("announcement_at"),
        quota: numberOrNull(data.get("quota")),
        requirements: requirementsOf(data),
      };
      if (!id) Object.assign(body, { satker_code: satker, year: numberOrNull(data.get("year")) });
      try {
        const { data: saved } = id
          ? await api("PATCH", `/activities/${encodeURIComponent(id)}`, body)
          : await api("POST", "/activities", body);
        go("#/admin/kegiatan?dibuat=" + encodeURIComponent(saved.id));
      } catch (error) {
        throw explain(error, formEl);
      }
    });
  el.classList.add("ad-form");
  el.before(h("p", {}, h("a", { href: "#/admin/kegiatan", text: "← Daftar kegiatan" })));
}

// -- the review queue ---------------------------------------------------------------------------

function failureText(name, review, requirements) {
  if (name.startsWith("document:")) {
    const kind = name.slice("document:".length);
    return "Dokumen belum diunggah: " + (DOCUMENT_KINDS[kind] || kind);
  }
  if (name === "age" && requirements.age) {
    return `Usia ${review.age} tahun, di luar batas ${requirements.age.min}–${requirements.age.max} tahun`;
  }
  if (name === "education" && requirements.education) {
    return `Pendidikan ${(review.profile || {}).education || "-"}, di bawah minimal ${requirements.education.min}`;
  }
  return FAILED[name] || name;
}

function checksSection(review, requirements) {
  const checks = review.checks || {};
  const failures = checks.mandatory_failures || [];
  const met = checks.preferred_met || [];
  return h("section", { class: "ad-checks" },
    h("h3", { text: "Pemeriksaan otomatis" }),
    failures.length
      ? h("div", { class: "ad-fails" }, h("p", { class: "warn", text: "Syarat wajib yang tidak terpenuhi:" }),
        h("ul", {}, ...failures.map((name) => h("li", { text: failureText(name, review, requirements) }))))
      : h("p", { class: "hint ok", text: "Semua syarat wajib terpenuhi." }),
    h("p", { text: "Syarat diutamakan yang terpenuhi: " +
      (met.length ? met.map((name) => MET[name] || name).join(", ") : "tidak ada") }),
    h("p", { class: "ad-score", text: `Skor diutamakan: ${checks.preferred_score ?? 0} dari ${checks.preferred_total ?? 0}` }),
    h("p", { class: "hint", text: "Pemeriksaan otomatis hanya membantu: periksa data dengan dokumen, lalu putuskan." }));
}

function profileList(review) {
  const p = review.profile || {};
  const yes = (v) => (v ? "ya" : "tidak");
  const rows = [
    ["Nama", p.full_name], ["NIK", p.nik], ["Jenis kelamin", { L: "Laki-laki", P: "Perempuan" }[p.sex] || p.sex],
    ["Tanggal lahir", p.birth_date], ["Usia saat mendaftar", review.age !== undefined ? `${review.age} tahun` : "-"],
    ["Pendidikan", p.education], ["Pekerjaan", p.occupation],
    ["Domisili", [p.domicile_regency_name, p.domicile_regency_code && `(${p.domicile_regency_code})`].filter(Boolean).join(" ")],
    ["Kecamatan (NIK)", [p.kecamatan_name, p.kecamatan_code && `(${p.kecamatan_code})`].filter(Boolean).join(" ")],
    ["Alamat", p.address], ["Ponsel", p.phone], ["E-mail", p.email],
    ["ASN", yes(p.is_asn)], ["Kontrak instansi lain", yes(p.has_other_institution_contract)],
    ["Pernah mitra BPS", yes(p.has_bps_experience)], ["Pernah memakai CAPI", yes(p.has_capi_experience)],
    ["Ponsel pintar", yes(p.owns_smartphone)], ["Dapat memakai komputer", yes(p.can_use_computer)],
    ["Dapat mengendarai motor", yes(p.can_ride_motorbike)],
    ["Mendaftar", when(review.submitted_at)],
  ];
  return h("dl", { class: "ad-facts" },
    ...rows.flatMap(([label, value]) => [h("dt", { text: label }), h("dd", { text: value || "-" })]));
}

// One document: fetched with the token, shown as an image, a PDF frame, or a download link.
function documentView(review, doc) {
  const label = DOCUMENT_KINDS[doc.kind] || doc.kind;
  const preview = h("div", { class: "ad-preview", text: "Memuat dokumen…" });
  const marks = [];
  if (doc.submitted === false) {
    marks.push(h("p", { class: "ad-mark", text: "Diunggah sesudah mendaftar (belum ada saat mendaftar)" }));
  }
  if (doc.newer_version) {
    marks.push(h("p", { class: "ad-mark", text: "Calon mitra mengunggah versi baru " +
      `(${Math.ceil(doc.newer_version.size / 1024)} KB); yang ditampilkan adalah versi saat mendaftar.` }));
  }
  const figure = h("figure", { class: "ad-doc", "data-kind": doc.kind },
    h("figcaption", { text: `${label} (${Math.ceil((doc.size || 0) / 1024)} KB)` }), ...marks, preview);
  (async () => {
    try {
      const { blob } = await fetchFile(
        `/applications/${encodeURIComponent(review.id)}/documents/${encodeURIComponent(doc.kind)}`);
      const url = URL.createObjectURL(blob);
      objectUrls.push(url);
      const type = blob.type || doc.content_type || "";
      const ext = { "image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf" }[type] || "bin";
      const name = `${review.registration_number}-${doc.kind}.${ext}`;
      // A PDF viewer is heavy and takes the focus when it loads (the column would jump to
      // it): shown when asked for, in place.
      const pdfButton = () => {
        const button = h("button", { type: "button", class: "secondary", text: "Tampilkan PDF",
          "aria-label": `Tampilkan PDF ${label} ${review.registration_number}`,
          onclick: () => button.replaceWith(h("iframe", { src: url,
            title: `${label} ${review.registration_number} (PDF)` })) });
        return button;
      };
      const shown = type.startsWith("image/")
        ? h("img", { src: url, alt: `${label} ${review.registration_number}` })
        : type === "application/pdf" ? pdfButton() : null;
      preview.replaceChildren(...[shown, h("p", { class: "ad-doc-links" },
        h("a", { href: url, target: "_blank", rel: "noopener", text: "Buka ukuran penuh",
          "aria-label": `Buka ukuran penuh: ${label} ${review.registration_number}` }),
        h("a", { href: url, download: name, text: `Unduh ${label}`,
          "aria-label": `Unduh ${label} ${review.registration_number}` }))].filter(Boolean));
    } catch (error) {
      preview.replaceChildren(h("p", { class: "msg error", text: `${label}: ${error.message}` }));
    }
  })();
  return figure;
}

function decisionForm(review, statusLine, reasonLine) {
  const key = review.id;
  const box = h("p", { class: "msg", role: "status", "aria-live": "polite" });
  const reasonId = "reason-" + key;
  const el = h("form", { class: "ad-decision", novalidate: true, "aria-label": "Keputusan " + review.registration_number },
    h("fieldset", {}, h("legend", { text: "Pilih keputusan" }),
      ...DECISIONS.map(([value, text]) => h("div", { class: "check" },
        h("input", { type: "radio", name: "decision", value, id: `d-${value}-${key}` }),
        h("label", { for: `d-${value}-${key}`, text }))),
      h("p", { class: "error", "data-error-for": "decision" })),
    h("div", { class: "field" },
      h("label", { for: reasonId, text: "Alasan" }),
      h("textarea", { id: reasonId, name: "reason", rows: 3, maxlength: 1000,
        "aria-describedby": reasonId + "-hint" }),
      h("p", { class: "hint", id: reasonId + "-hint",
        text: "Wajib untuk \u201cPerlu konfirmasi\u201d dan \u201cTidak diterima\u201d: calon mitra membacanya di e-mail." }),
      h("p", { class: "error", "data-error-for": "reason" })),
    h("button", { type: "submit", text: "Simpan keputusan" }), box);
  el.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(el);
    const decision = data.get("decision");
    const reason = String(data.get("reason") || "").trim();
    el.querySelectorAll("[data-error-for]").forEach((p) => { p.textContent = ""; });
    if (!decision) {
      el.querySelector('[data-error-for="decision"]').textContent = "Pilih salah satu keputusan.";
      message(box, "Keputusan belum dikirim: pilih keputusan dulu.", "error");
      return;
    }
    if (decision !== "accepted" && !reason) {
      el.querySelector('[data-error-for="reason"]').textContent = "Alasan wajib diisi untuk keputusan ini.";
      message(box, "Keputusan belum dikirim: tuliskan alasannya, calon mitra membacanya di e-mail.", "error");
      el.elements.reason.focus();
      return;
    }
    const button = el.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const { data: saved } = await api("POST",
        `/applications/${encodeURIComponent(review.id)}/administrative-decision`,
        { decision, reason: reason || null });
      const status = (saved.administrative || {}).status || decision;
      statusLine.textContent = "Status: " + (STATUS[status] || status);
      statusLine.dataset.status = status;
      reasonLine.textContent = saved.administrative && saved.administrative.reason
        ? "Alasan: " + saved.administrative.reason : "";
      message(box, `Keputusan tersimpan: ${STATUS[status] || status}. Calon mitra diberi tahu lewat e-mail.`, "ok");
    } catch (error) {
      explain(error, el);
      if (error.status === 409) {
        error.message = "Keputusan tidak dapat diubah: lamaran ini sudah diputuskan pada tahap " +
          "berikutnya, sehingga status administrasinya dikunci. Muat ulang halaman untuk " +
          "melihat statusnya sekarang.";
      }
      showError(el, error, box);
    } finally {
      button.disabled = false;
    }
  });
  return el;
}

function historySection(review) {
  const list = h("ol", { class: "ad-history" });
  const details = h("details", {}, h("summary", { text: "Riwayat keputusan" }), list);
  details.addEventListener("toggle", async () => {
    if (!details.open) return;
    list.replaceChildren(h("li", { text: "Memuat…" }));
    try {
      const { data } = await api("GET",
        `/applications/${encodeURIComponent(review.id)}/administrative-decisions`);
      list.replaceChildren(...(data.items.length ? data.items.map((d) => h("li", {
        text: `${when(d.decided_at)}: ${STATUS[d.from_status] || d.from_status} → ` +
          `${STATUS[d.to_status] || d.to_status}` + (d.reason ? ` (${d.reason})` : ""),
      })) : [h("li", { text: "Belum ada keputusan." })]));
    } catch (error) {
      list.replaceChildren(h("li", { class: "msg error", text: error.message }));
    }
  });
  return details;
}

function reviewCard(review, requirements) {
  const status = (review.administrative || {}).status;
  const reason = (review.administrative || {}).reason;
  const titleId = "lamaran-" + review.id;
  const statusLine = h("p", { class: "badge", "data-status": status,
    text: "Status: " + (STATUS[status] || status) });
  const reasonLine = h("p", { class: "ad-reason", text: reason ? "Alasan: " + reason : "" });
  // The KTP first: the data is checked against it, then the ijazah and the photo.
  const first = ["ktp", "ijazah", "photo"];
  const rank = (doc) => (first.includes(doc.kind) ? first.indexOf(doc.kind) : first.length);
  const docs = [...(review.documents || [])].sort((a, b) => rank(a) - rank(b));
  return h("article", { class: "card ad-review", "aria-labelledby": titleId,
    "data-application": review.id, "data-registration": review.registration_number },
  h("h2", { id: titleId,
    text: `${review.registration_number} · ${(review.profile || {}).full_name || ""}` }),
  h("div", { class: "ad-grid" },
    h("div", { class: "ad-data" },
      statusLine, reasonLine,
      review.needs_rereview ? h("p", { class: "ad-mark", text:
        "Perlu diperiksa ulang: ada dokumen baru sesudah mendaftar." }) : null,
      h("h3", { text: "Data saat mendaftar" }), profileList(review),
      checksSection(review, requirements),
      h("h3", { text: "Keputusan" }),
      decisionForm(review, statusLine, reasonLine),
      historySection(review)),
    h("section", { class: "ad-docs", tabindex: 0,
      "aria-label": "Dokumen " + review.registration_number },
      h("h3", { text: "Dokumen" }),
      ...(docs.length ? docs.map((doc) => documentView(review, doc))
        : [h("p", { text: "Tidak ada dokumen." })]))));
}

async function reviewPage({ query }) {
  const id = query.get("kegiatan");
  if (!id) { go("#/admin/kegiatan"); return; }
  const status = query.get("status") || "";
  const rereview = query.get("ulang") === "1";
  const page = Math.max(1, Number(query.get("halaman")) || 1);
  const path = encodeURIComponent(id);
  const { data: activity } = await api("GET", `/activities/${path}`);
  const params = new URLSearchParams({ page, per_page: PER_PAGE });
  if (status) params.set("administrative_status", status);
  if (rereview) params.set("needs_rereview", "true");
  const { data } = await api("GET", `/activities/${path}/applications?${params}`);

  const filter = h("form", { class: "ad-filter", role: "search", "aria-label": "Saring lamaran" },
    h("div", { class: "field" }, h("label", { for: "f-status", text: "Status administrasi" }),
      h("select", { id: "f-status", name: "status" },
        h("option", { value: "", selected: !status, text: "Semua" }),
        ...Object.entries(STATUS).map(([v, t]) => h("option", { value: v, selected: v === status, text: t })))),
    h("div", { class: "check" }, h("input", { type: "checkbox", id: "f-ulang", name: "ulang", checked: rereview }),
      h("label", { for: "f-ulang", text: "Hanya yang perlu diperiksa ulang" })),
    h("button", { type: "submit", text: "Tampilkan" }));
  filter.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = new FormData(filter);
    const next = new URLSearchParams({ kegiatan: id });
    if (chosen.get("status")) next.set("status", chosen.get("status"));
    if (chosen.get("ulang") === "on") next.set("ulang", "1");
    go("#/admin/seleksi-administrasi?" + next);
  });
  const pages = Math.max(1, Math.ceil(data.total / PER_PAGE));
  const hrefOf = (n) => {
    const next = new URLSearchParams({ kegiatan: id, halaman: n });
    if (status) next.set("status", status);
    if (rereview) next.set("ulang", "1");
    return "#/admin/seleksi-administrasi?" + next;
  };
  showWide(
    h("p", {}, h("a", { href: "#/admin/kegiatan", text: "← Daftar kegiatan" })),
    h("h1", { text: "Seleksi administrasi: " + activity.name }),
    h("div", { class: "ad-toolbar" }, filter, exportButtons(id)),
    h("p", { id: "queue-count", text: `${data.total} lamaran` +
      (status ? ` berstatus ${STATUS[status] || status}` : "") + (pages > 1 ? ` · halaman ${page} dari ${pages}` : "") }),
    ...(data.items.length ? data.items.map((review) => reviewCard(review, activity.requirements || {}))
      : [h("p", { text: "Tidak ada lamaran untuk ditampilkan." })]),
    pager(page, pages, hrefOf));
}

export const adminPages = {
  "/admin/kegiatan": activitiesPage,
  "/admin/kegiatan/baru": activityFormPage,
  "/admin/kegiatan/ubah": activityFormPage,
  "/admin/seleksi-administrasi": reviewPage,
};
