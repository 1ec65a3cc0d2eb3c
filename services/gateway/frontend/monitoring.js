// The monitoring dashboard of pembinaan statistik sektoral per year and semester: a table per
// team (documentation against the deadlines, completeness, plan vs realisation, members
// trained, the lokus' IPS) and a chart per team (inline SVG, its numbers also as text), and
// the XLSX the sekretariat sends on (fetched with the Bearer token, saved as a download).
import { api, download } from "./api.js";
import { go, h, message, show } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";
const render = (...children) => show(...children.filter((child) => child !== null && child !== undefined));
const DOCUMENTS = [["establishment", "SK/Surat Tugas"], ["contacts", "Narahubung"],
  ["statistical_activities", "Inventaris"], ["epss_candidates", "Kandidat EPSS"], ["work_plan", "Rencana kerja"]];
const STATUS = { on_time: "Tepat waktu", late: "Terlambat", missing: "Belum ada" };
const GRADES = { memuaskan: "Memuaskan", sangat_baik: "Sangat Baik", baik: "Baik", cukup: "Cukup", kurang: "Kurang" };
const LEVELS = { direktorat: "Direktorat", provinsi: "Provinsi", kabkot: "Kab/Kota" };
const FLAGS = { too_many_kl: "Lebih dari 6 K/L binaan", internalisation_missing: "Internalisasi belum didokumentasikan",
  internalisation_late: "Internalisasi terlambat (lewat 14 Januari)" };

const percent = (share) => `${Math.round((share || 0) * 100)}%`;
const decimal = (value) => Number(value).toLocaleString("id-ID", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  for (const child of children) el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return el;
}

// The bars of one team: each a share 0-1 with the text it stands for.
export function teamBars(item) {
  const onTime = DOCUMENTS.filter(([kind]) => item.documentation[kind].status === "on_time").length;
  const trained = item.members_total ? item.members_trained / item.members_total : 0;
  const bars = [
    ["Dokumentasi tepat waktu", onTime / DOCUMENTS.length, `${onTime} dari ${DOCUMENTS.length}`],
    ["Kelengkapan narahubung", item.completeness, percent(item.completeness)],
    ["Realisasi rencana", item.plan.realisation_rate,
      `${item.plan.realised} dari ${item.plan.planned} (${percent(item.plan.realisation_rate)})`],
    ["Anggota terlatih", trained, `${item.members_trained} dari ${item.members_total}`],
  ];
  const ips = item.lokus.filter((l) => l.ips !== null && l.ips !== undefined);
  if (ips.length) {
    const mean = ips.reduce((sum, l) => sum + l.ips, 0) / ips.length;
    bars.push(["Rata-rata IPS lokus", (mean - 1) / 4, `${decimal(mean)} dari 5`]);
  }
  return bars;
}

// Horizontal bars, 0-100%, each under its name with its number; a <title> and an
// aria-label read every number out.
export function teamChart(item, index) {
  const bars = teamBars(item);
  const row = 46; const width = 320;
  const height = bars.length * row + 4;
  const titleId = `chart-title-${index}`;
  const summary = `${item.name}: ` + bars.map(([name, , value]) => `${name} ${value}`).join("; ") + ".";
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "pb-chart",
    "aria-labelledby": titleId, "aria-label": summary, "data-team": item.team_id, focusable: "false" },
  svg("title", { id: titleId }, summary));
  bars.forEach(([name, share, value], i) => {
    const y = i * row;
    const filled = Math.max(0, Math.min(1, share || 0)) * width;
    chart.append(
      svg("text", { x: 0, y: y + 16, class: "pb-chart-label" }, name),
      svg("text", { x: width, y: y + 16, "text-anchor": "end", class: "pb-chart-value" }, value),
      svg("rect", { x: 0, y: y + 22, width, height: 16, rx: 3, class: "pb-chart-track" }),
      svg("rect", { x: 0, y: y + 22, width: filled.toFixed(1), height: 16, rx: 3, class: "pb-chart-bar" }));
  });
  return h("figure", { class: "card pb-figure" }, h("figcaption", { text: item.name }), chart);
}

function statusCell(entry) {
  return h("td", { class: "pb-status " + entry.status, "data-status": entry.status, text: STATUS[entry.status] || entry.status });
}

function teamsTable(items) {
  const headers = ["Tim", ...DOCUMENTS.map(([, t]) => t), "Kelengkapan narahubung", "Rencana vs realisasi",
    "Anggota terlatih", "Internalisasi", "Catatan", "Lokus: IPS dan predikat"];
  return h("div", { class: "pb-scroll", role: "region", tabindex: 0, "aria-label": "Monitoring per tim" },
    h("table", { class: "pb-table", id: "monitoring-table" },
    h("caption", { text: "Monitoring per tim" }),
    h("thead", {}, h("tr", {}, ...headers.map((text) => h("th", { scope: "col", text })))),
    h("tbody", {}, ...items.map((item) => h("tr", { "data-team": item.team_id },
      h("th", { scope: "row" }, item.name, h("br"), h("span", { class: "hint", text: `${LEVELS[item.level] || item.level} ${item.unit_code || ""}` })),
      ...DOCUMENTS.map(([kind]) => statusCell(item.documentation[kind])),
      h("td", { text: percent(item.completeness) }),
      h("td", { text: `${item.plan.realised} / ${item.plan.planned} (${percent(item.plan.realisation_rate)})` }),
      h("td", { text: `${item.members_trained} / ${item.members_total}` }),
      statusCell(item.internalisation),
      h("td", { text: item.flags.length ? item.flags.map((f) => FLAGS[f] || f).join("; ") : "—" }),
      h("td", {}, item.lokus.length ? h("ul", { class: "plain" }, ...item.lokus.map((l) => h("li", {
        text: `${l.name}: ${l.ips === null || l.ips === undefined ? "IPS belum ada" : `${decimal(l.ips)} (${GRADES[l.grade] || l.grade})`}` })))
        : "Belum ada lokus"))))));
}

// The workbook, downloaded with the Bearer token.
async function downloadXlsx(year, semester, box) {
  message(box, "Menyiapkan berkas…");
  try {
    await download(`/pembinaan/monitoring?year=${year}&semester=${semester}&format=xlsx`,
      `monitoring-${year}-semester-${semester}.xlsx`);
  } catch (error) { message(box, error.message, "error"); return; }
  message(box, "Berkas XLSX diunduh.", "ok");
}

async function monitoringPage({ query }) {
  const now = new Date();
  const year = Number(query.get("year")) || now.getFullYear();
  const semester = Number(query.get("semester")) || (now.getMonth() < 6 ? 1 : 2);
  const picker = h("form", { class: "pb-inline", id: "monitoring-period" },
    h("div", { class: "field" }, h("label", { for: "mon-year", text: "Tahun" }),
      h("input", { id: "mon-year", name: "year", type: "number", min: 2000, max: 2100, value: year })),
    h("div", { class: "field" }, h("label", { for: "mon-semester", text: "Semester" }),
      h("select", { id: "mon-semester", name: "semester" },
        h("option", { value: 1, selected: semester === 1, text: "1 (Januari–Juni)" }),
        h("option", { value: 2, selected: semester === 2, text: "2 (Juli–Desember)" }))),
    h("button", { type: "submit", text: "Tampilkan" }));
  picker.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(picker);
    go(`#/pembinaan/monitoring?year=${Number(data.get("year"))}&semester=${data.get("semester")}`);
  });
  const report = (await api("GET", `/pembinaan/monitoring?year=${year}&semester=${semester}`)).data;
  const box = h("p", { class: "msg", role: "status", "aria-live": "polite" });
  const download = h("button", { type: "button", class: "secondary", text: "Unduh XLSX",
    onclick: async () => { download.disabled = true; try { await downloadXlsx(year, semester, box); } finally { download.disabled = false; } } });
  const items = report.items;
  render(h("h1", { text: `Monitoring pembinaan ${year} semester ${semester}` }), picker,
    h("p", {}, download), box,
    items.length ? teamsTable(items) : h("p", { class: "hint", text: "Tidak ada tim pada periode ini." }),
    items.length ? h("h2", { text: "Grafik per tim" }) : null,
    items.length ? h("p", { class: "hint", text: "Batang menunjukkan persentase 0–100%; angka yang sama ada di tabel." }) : null,
    items.length ? h("div", { class: "pb-charts", id: "monitoring-charts" }, ...items.map(teamChart)) : null);
}

export const monitoringPages = { "/pembinaan/monitoring": monitoringPage };
