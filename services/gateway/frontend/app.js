// SOBAT BPS: hash routes, one page each. The account pages come with this file; every other
// area's module is loaded when one of its pages is first opened, so a candidate's phone never
// downloads the admin or pembinaan pages (the first page stays small on a slow connection).
// Every page calls the same /api/v1 routes as any other client.
import { ApiError, navigated, Superseded, token } from "./api.js";
import { accountPages } from "./accounts.js";
import { go, h, homeOf, show } from "./dom.js";

// Path -> the area whose module serves it (the first matching prefix), and that module's
// export of its pages.
const AREAS = [
  ["/admin/ujian", () => import("./admin_test.js"), "adminTestPages"],
  ["/admin/seleksi-akhir", () => import("./admin_final.js"), "adminFinalPages"],
  ["/admin/", () => import("./admin.js"), "adminPages"],
  ["/pembinaan", () => import("./pembinaan.js"), "pembinaanPages"],
  ["/", () => import("./candidate.js"), "candidatePages"],
];

// Role -> the menu shown after sign-in (what a role may do is decided by the API, not here).
const ACCOUNT = [["#/ganti-sandi", "Ganti sandi"]];
const SEKRETARIAT = [
  ["#/pembinaan", "Tim pembina"], ["#/pembinaan/monitoring", "Monitoring"],
  ["#/pembinaan/permintaan", "Permintaan"], ["#/pembinaan/tenggat", "Tenggat & pelatihan"],
  ["#/pembinaan/anggaran", "Anggaran"],
];
const MENUS = {
  mitra: [["#/profil", "Profil"], ["#/dokumen", "Dokumen"], ["#/kegiatan", "Kegiatan"],
    ["#/status", "Status"], ...ACCOUNT],
  admin_satker: [["#/admin/kegiatan", "Kegiatan"], ["#/admin/kegiatan/baru", "Kegiatan baru"],
    ["#/admin/ujian", "Ujian"], ["#/admin/seleksi-akhir", "Seleksi akhir"], ...ACCOUNT],
  pembina: [["#/pembinaan", "Tim saya"], ["#/pembinaan/permintaan", "Permintaan"],
    ["#/pembinaan/monitoring", "Monitoring"], ["#/pembinaan/anggaran", "Anggaran"], ...ACCOUNT],
  sekretariat: [...SEKRETARIAT, ...ACCOUNT],
  superadmin: [["#/admin/akun", "Akun & token layanan"], ...SEKRETARIAT, ...ACCOUNT],
};

const pages = {
  "/": () => go(token.get() ? homeOf(token.who().role) : "#/masuk"),
  ...accountPages,
};

async function pageOf(path) {
  if (pages[path]) return pages[path];
  const area = AREAS.find(([prefix]) => path.startsWith(prefix));
  if (!area) return null;
  const [, load, name] = area;
  let module;
  try {
    module = await load();
  } catch (error) { // offline when an area is first opened
    throw new Error("Halaman tidak dapat dimuat. Periksa sambungan internet, lalu muat ulang.");
  }
  return module[name][path] || null;
}

function params() {
  const hash = location.hash.slice(1) || "/";
  const [path, query] = hash.split("?");
  return { path, query: new URLSearchParams(query || "") };
}

function nav() {
  const links = token.get()
    ? [...(MENUS[token.who().role] || []), ["#/keluar", "Keluar"]]
    : [["#/masuk", "Masuk"], ["#/daftar", "Daftar"]];
  document.getElementById("nav").replaceChildren(
    ...links.map(([href, text]) => h("a", { href, text })));
}

async function route() {
  navigated();
  nav();
  const { path, query } = params();
  try {
    const page = await pageOf(path);
    if (!page) { show(h("h1", { text: "Halaman tidak ditemukan" }), h("a", { href: "#/", text: "Ke beranda" })); return; }
    await page({ query });
  } catch (error) {
    if (error instanceof Superseded) return; // the user moved on: the new page draws
    if (error instanceof ApiError && error.status === 401) { go("#/masuk"); return; }
    show(h("h1", { text: "Terjadi kesalahan" }), h("p", { class: "msg error", role: "alert", text: error.message }));
  }
}

window.addEventListener("hashchange", route);
route();
