// The satker admin's final-selection pages: criteria, ranking, decisions, announcement.
// Desk first, usable on a phone (wide tables scroll sideways). Every decision is final: the
// page asks before sending one and says how many positions are left.
import { api, ApiError, download } from "./api.js";
import { field, h, message, show } from "./dom.js";
import {
  activityPage, checkbox, fmtTime, indonesian, number, sectionForm, table,
} from "./admin_test.js";

const COMPONENTS = [
  ["test_score", "Nilai tes"], ["preferred_score", "Syarat diutamakan"],
  ["experience", "Pengalaman BPS"], ["education", "Pendidikan"], ["domicile", "Domisili"],
  ["interview", "Wawancara"], ["performance", "Kinerja sebelumnya"],
];
const PER_PAGE = 25;
const STATUS = { pending: "Menunggu pengumuman", accepted: "Diterima", rejected: "Tidak diterima", withdrawn: "Mengundurkan diri" };

async function optional(path) {
  try { return (await api("GET", path)).data; } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

async function finalPage({ query }) {
  await activityPage(query, "Seleksi akhir", "/admin/seleksi-akhir", async (activity, zone) => {
    let page = 1;
    const render = async (flash, kind = "ok") => {
      const base = `/activities/${activity.id}`;
      const [criteria, decisions, results, pakta] = await Promise.all([
        optional(base + "/final-criteria"), api("GET", base + "/final-decisions").then((r) => r.data.items),
        optional(base + "/results"), api("GET", base + "/pakta-integritas").then((r) => r.data)]);
      const ranking = criteria
        ? (await api("GET", `${base}/ranking?page=${page}&per_page=${PER_PAGE}`)).data : null;
      const decided = Object.fromEntries(decisions.map((d) => [d.application_id, d]));
      const accepted = decisions.filter((d) => d.decision === "accepted").length;
      const announced = results !== null || Date.now() >= Date.parse(activity.announcement_at);
      const state = { activity, zone, criteria, decisions, decided, accepted, announced, ranking,
        left: criteria ? criteria.positions - accepted : 0, render, page,
        turn: (to) => { page = to; render(); } };
      const box = h("p", { class: "msg", role: "status", "aria-live": "polite", id: "final-flash" });
      if (flash) message(box, flash, kind);
      show(h("h1", { text: "Seleksi akhir: " + activity.name }),
        h("p", {}, h("a", { href: "#/admin/ujian?kegiatan=" + encodeURIComponent(activity.id),
          text: "Ke ujian kompetensi kegiatan ini" })),
        box,
        h("div", { class: "ax-wide" },
          announcementSection(state, results),
          criteriaSection(state),
          rankingSection(state),
          paktaSection(pakta, announced),
          exportSection(activity)));
    };
    await render();
  });
}

function announcementSection({ activity, zone, announced }, results) {
  return h("section", { "aria-labelledby": "h-announce", class: "card" },
    h("h2", { id: "h-announce", text: "Pengumuman" }),
    h("p", { text: "Waktu pengumuman: " + fmtTime(activity.announcement_at, zone) }),
    h("p", { id: "announce-state", class: "badge", text: announced
      ? `Hasil sudah diumumkan${results ? ` (${results.total} diterima)` : ""}. Keputusan tidak dapat diubah lagi.`
      : "Hasil belum diumumkan. Hasil diumumkan otomatis pada waktu pengumuman: keputusan panitia harus selesai sebelumnya." }));
}

function criteriaSection(state) {
  const { activity, criteria, decisions, announced } = state;
  const locked = decisions.length > 0 || announced;
  const weights = (criteria && criteria.weights) || { test_score: 1 };
  const el = sectionForm([
    h("fieldset", { disabled: locked },
      h("legend", { class: "sr-only", text: "Kriteria akhir" }),
      field("Jumlah formasi (mitra yang dibutuhkan)", "positions", { type: "number", min: 1, max: 100000,
        inputmode: "numeric", required: true, value: criteria ? criteria.positions : "" }),
      h("fieldset", {}, h("legend", { text: "Bobot komponen (0 = tidak dihitung)" }),
        ...COMPONENTS.map(([name, label]) => field(label, "w_" + name, { type: "number", min: 0, step: "any",
          inputmode: "decimal", value: weights[name] ?? 0 })),
        h("p", { class: "error", "data-error-for": "weights", "aria-live": "polite" })),
      field("Nilai tes minimum (0–100)", "min_test_score", { type: "number", min: 0, max: 100, step: "any",
        inputmode: "decimal", value: criteria ? criteria.min_test_score : 0 }),
      checkbox("Tampilkan nilai kepada peserta", "disclose_scores", criteria && criteria.disclose_scores)),
  ], "Simpan kriteria", async (data) => {
    const body = { positions: Number(data.get("positions")), weights: {},
      min_test_score: Number(data.get("min_test_score") || 0), disclose_scores: data.get("disclose_scores") === "on" };
    for (const [name] of COMPONENTS) body.weights[name] = Number(data.get("w_" + name) || 0);
    try {
      await api("PUT", `/activities/${activity.id}/final-criteria`, body);
    } catch (error) {
      if (error.status === 409) error.message = "Kriteria terkunci: sudah ada keputusan akhir atau hasil sudah diumumkan.";
      if (error.fields) {
        for (const [key, value] of Object.entries(error.fields)) {
          if (key.startsWith("weights.")) error.fields["w_" + key.slice(8)] = value;
        }
      }
      throw error;
    }
    await state.render("Kriteria tersimpan. Peringkat dihitung ulang.");
  }, { id: "criteria-form", "aria-labelledby": "h-criteria" });
  if (locked) {
    el.dataset.locked = "true";
    el.querySelector("button[type=submit]").disabled = true;
  }
  return h("section", { "aria-labelledby": "h-criteria", class: "card" },
    h("h2", { id: "h-criteria", text: "Kriteria akhir" }),
    locked ? h("p", { id: "criteria-locked", class: "warn", role: "note", text: announced
      ? "Kriteria terkunci: hasil sudah diumumkan."
      : "Kriteria terkunci: sudah ada keputusan akhir, jadi peringkat yang diputuskan tidak boleh berubah." }) : null,
    criteria ? null : h("p", { class: "hint", text: "Kriteria belum ditetapkan. Tetapkan kriteria untuk melihat peringkat." }),
    h("p", { class: "hint", text: "Total = rata-rata berbobot komponen (masing-masing 0–100). Peserta dengan nilai tes di bawah minimum tidak diberi peringkat." }),
    el);
}

function interviewCell(state, entry) {
  const id = "iv-" + entry.application_id;
  const box = h("span", { class: "msg", role: "status" });
  const input = h("input", { type: "number", id, min: 0, max: 100, step: "any", inputmode: "decimal",
    class: "ax-narrow", value: entry.interview_score ?? "", placeholder: "belum ada" });
  const save = h("button", { type: "button", class: "secondary ax-small", text: "Simpan",
    "aria-label": "Simpan nilai wawancara " + entry.full_name, onclick: async () => {
      save.disabled = true;
      try {
        await api("PUT", `/applications/${entry.application_id}/interview-score`, { score: Number(input.value) });
        await state.render(`Nilai wawancara ${entry.full_name} tersimpan.`);
      } catch (error) {
        message(box, error.status === 409 ? "Sudah diputuskan." : indonesian(error.message), "error");
        save.disabled = false;
      }
    } });
  if (state.decided[entry.application_id] || state.announced) {
    return entry.interview_score === null || entry.interview_score === undefined
      ? "belum ada" : String(number(entry.interview_score));
  }
  return h("span", { class: "ax-inline" },
    h("label", { for: id, class: "sr-only", text: "Nilai wawancara " + entry.full_name }), input, save, box);
}

function decisionPanel(state, entry, decision) {
  const panel = document.getElementById("decision-panel");
  const accept = decision === "accepted";
  const reason = h("textarea", { id: "f-reason", name: "reason", rows: 2, maxlength: 1000, required: !accept });
  const box = h("p", { class: "msg", role: "status", "aria-live": "polite" });
  const yes = h("button", { type: "button", text: accept ? "Ya, terima" : "Ya, tolak", onclick: async () => {
    const body = { decision };
    const why = reason.value.trim();
    if (!accept && !why) { message(box, "Tulis alasan penolakan: peserta membacanya.", "error"); reason.focus(); return; }
    if (why) body.reason = why;
    yes.disabled = true;
    try {
      await api("POST", `/applications/${entry.application_id}/final-decision`, body);
      await state.render(`${entry.full_name}: ${accept ? "diterima" : "ditolak"}.`);
    } catch (error) {
      const text = error.status === 409
        ? (accept ? `Tidak dapat diterima: formasi penuh (sisa ${state.left}) atau sudah diputuskan.` : "Sudah diputuskan.")
        : error.message;
      message(box, text, "error");
      yes.disabled = false;
    }
  } });
  panel.replaceChildren(h("div", { class: "confirm", role: "alertdialog", "aria-labelledby": "decision-title" },
    h("p", { id: "decision-title", text: `${accept ? "Terima" : "Tolak"} ${entry.full_name} (${entry.registration_number})? ` +
      "Keputusan panitia bersifat final dan tidak dapat diubah." +
      (accept ? ` Sisa formasi: ${state.left} dari ${state.criteria.positions}.` : "") }),
    h("div", { class: "field" },
      h("label", { for: "f-reason", text: accept ? "Catatan (boleh kosong)" : "Alasan penolakan (wajib)" }), reason),
    yes, h("button", { type: "button", class: "secondary", text: "Batal", onclick: () => panel.replaceChildren() }), box));
  (accept ? yes : reason).focus();
}

function decisionCell(state, entry, ranked) {
  const made = state.decided[entry.application_id];
  if (made) return made.decision === "accepted" ? "Diterima panitia" : `Ditolak: ${made.reason || "-"}`;
  if (state.announced) return "–";
  return h("span", { class: "ax-inline" },
    ranked ? h("button", { type: "button", class: "ax-small", text: "Terima", "aria-label": "Terima " + entry.full_name,
      disabled: state.left <= 0, onclick: () => decisionPanel(state, entry, "accepted") }) : null,
    h("button", { type: "button", class: "secondary ax-small", text: "Tolak", "aria-label": "Tolak " + entry.full_name,
      onclick: () => decisionPanel(state, entry, "rejected") }));
}

function rankingRows(state, entries, ranked) {
  return entries.map((entry) => [
    ranked ? String(entry.rank) : "–", entry.registration_number,
    h("span", {}, entry.full_name, entry.mitra_elsewhere && entry.mitra_elsewhere.length
      ? h("span", { class: "hint ax-block", text: "Sudah mitra di satker " + entry.mitra_elsewhere.join(", ") }) : null),
    h("strong", { text: number(entry.total) }),
    decisionCell(state, entry, ranked),
    interviewCell(state, entry),
    ...COMPONENTS.map(([name]) => number(entry.components[name])),
    STATUS[entry.final_status] || entry.final_status,
  ]);
}

const RANK_HEADERS = ["Peringkat", "No. pendaftaran", "Nama", "Total", "Keputusan", "Nilai wawancara",
  ...COMPONENTS.map(([, label]) => label), "Status akhir"];

function acceptTop(state) {
  const box = h("p", { class: "msg", role: "status", "aria-live": "polite" });
  const count = h("input", { type: "number", id: "f-top_count", name: "top_count", min: 1,
    max: Math.max(state.left, 1), value: Math.max(Math.min(state.left, state.ranking.total), 1), inputmode: "numeric" });
  const area = h("div", { id: "accept-top" });
  const ask = h("button", { type: "button", text: "Terima kandidat teratas…", disabled: state.left <= 0, onclick: () => {
    const n = Number(count.value);
    if (!(n >= 1)) { message(box, "Isi jumlah kandidat (paling sedikit 1).", "error"); return; }
    if (n > state.left) { message(box, `Melebihi sisa formasi (${state.left}).`, "error"); return; }
    const yes = h("button", { type: "button", text: `Ya, terima ${n} kandidat`, onclick: async () => {
      yes.disabled = true;
      try {
        const { data } = await api("POST", `/activities/${state.activity.id}/final-decisions/accept-top`, { count: n });
        await state.render(`${data.accepted.length} kandidat teratas diterima.`);
      } catch (error) {
        message(box, error.status === 409 ? `Ditolak: melebihi formasi (sisa ${state.left}); tidak ada yang diterima.` : error.message, "error");
        yes.disabled = false;
      }
    } });
    area.replaceChildren(h("div", { class: "confirm", role: "alertdialog", "aria-labelledby": "top-title" },
      h("p", { id: "top-title", text: `Terima ${n} kandidat teratas yang belum diputuskan? Keputusan ini final dan tidak dapat dibatalkan. ` +
        `Sisa formasi: ${state.left} dari ${state.criteria.positions}; setelah ini tersisa ${state.left - n}.` }),
      yes, h("button", { type: "button", class: "secondary", text: "Batal", onclick: () => area.replaceChildren() })));
    yes.focus();
  } });
  return h("div", { class: "card" },
    h("h3", { text: "Terima sekaligus" }),
    h("div", { class: "field" }, h("label", { for: "f-top_count", text: "Jumlah kandidat teratas" }), count),
    ask, box, area);
}

function rankingSection(state) {
  const { criteria, ranking } = state;
  const head = h("h2", { id: "h-ranking", text: "Peringkat" });
  if (!criteria) {
    return h("section", { "aria-labelledby": "h-ranking" }, head,
      h("p", { text: "Peringkat muncul setelah kriteria akhir ditetapkan." }));
  }
  const pages = Math.max(1, Math.ceil(Math.max(ranking.total, ranking.below_minimum_total) / PER_PAGE));
  const current = Math.min(state.page, pages);
  const pager = pages > 1 ? h("nav", { class: "pager", "aria-label": "Halaman peringkat" },
    h("button", { type: "button", class: "secondary", text: "Sebelumnya", disabled: current <= 1,
      onclick: () => state.turn(current - 1) }),
    h("span", { text: ` Halaman ${current} dari ${pages} ` }),
    h("button", { type: "button", class: "secondary", text: "Berikutnya", disabled: current >= pages,
      onclick: () => state.turn(current + 1) })) : null;
  return h("section", { "aria-labelledby": "h-ranking" }, head,
    h("p", { id: "positions-state", class: "badge",
      text: `Formasi ${criteria.positions} · diterima ${state.accepted} · sisa ${state.left}` }),
    h("p", { class: "hint", text: `${ranking.total} kandidat berperingkat; ${ranking.below_minimum_total} di bawah nilai minimum ${number(criteria.min_test_score)}.` }),
    h("button", { type: "button", class: "secondary", id: "ranking-refresh", text: "Muat ulang peringkat",
      onclick: () => state.render() }),
    state.announced ? null : acceptTop(state),
    h("div", { id: "decision-panel", "aria-live": "polite" }),
    ranking.items.length ? table("Peringkat kandidat", RANK_HEADERS, rankingRows(state, ranking.items, true), { id: "ranking" })
      : h("p", { text: "Belum ada kandidat berperingkat (nilai tes masuk setelah ujian selesai)." }),
    pager,
    h("h3", { id: "h-below", text: "Di bawah nilai minimum (tanpa peringkat)" }),
    ranking.below_minimum.length
      ? table("Kandidat di bawah nilai minimum", RANK_HEADERS, rankingRows(state, ranking.below_minimum, false), { id: "below-minimum" })
      : h("p", { text: "Tidak ada." }));
}

function paktaSection(pakta, announced) {
  return h("section", { "aria-labelledby": "h-pakta" }, h("h2", { id: "h-pakta", text: "Pakta integritas" }),
    h("p", { id: "pakta-state", text: announced
      ? `${pakta.uploaded} dari ${pakta.total} peserta diterima sudah mengunggah pakta integritas.`
      : "Peserta yang diterima mengunggah pakta integritas setelah pengumuman." }),
    pakta.items.length ? table("Daftar pakta integritas", ["No. pendaftaran", "Nama", "Pakta integritas"],
      pakta.items.map((item) => [item.registration_number, item.full_name, item.uploaded ? "Sudah diunggah" : "Belum"]),
      { id: "pakta" }) : null);
}

function exportSection(activity) {
  const box = h("p", { class: "msg", role: "status", "aria-live": "polite" });
  const get = (format) => async () => {
    try {
      await download(`/activities/${activity.id}/final-export?format=${format}`, `seleksi-akhir.${format}`);
      message(box, "Berkas diunduh.", "ok");
    } catch (error) { message(box, error.message, "error"); }
  };
  return h("section", { "aria-labelledby": "h-export" }, h("h2", { id: "h-export", text: "Ekspor hasil seleksi akhir" }),
    h("p", { class: "hint", text: "Peringkat, nomor pendaftaran, nama, komponen, total, status akhir dan pakta integritas." }),
    h("button", { type: "button", class: "secondary", text: "Unduh CSV", onclick: get("csv") }),
    h("button", { type: "button", class: "secondary", text: "Unduh XLSX", onclick: get("xlsx") }), box);
}

export const adminFinalPages = { "/admin/seleksi-akhir": finalPage };
