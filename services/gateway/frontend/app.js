// SOBAT BPS: hash routes, one page each; each role's pages live in a module of their own and
// call the same /api/v1 routes as any other client.
import { ApiError, token } from "./api.js";
import { accountMenu, accountPages, superadminMenu } from "./accounts.js";
import { adminMenu, adminPages } from "./admin.js";
import { adminFinalMenu, adminFinalPages } from "./admin_final.js";
import { adminTestMenu, adminTestPages } from "./admin_test.js";
import { candidateMenu, candidatePages } from "./candidate.js";
import { go, h, homeOf, show } from "./dom.js";
import { pembinaanMenu, pembinaanPages, sekretariatMenu } from "./pembinaan.js";

// Role -> the menu shown after sign-in (what a role may do is decided by the API, not here).
const MENUS = {
  mitra: [...candidateMenu, ...accountMenu],
  admin_satker: [...adminMenu, ...adminTestMenu, ...adminFinalMenu, ...accountMenu],
  pembina: [...pembinaanMenu, ...accountMenu],
  sekretariat: [...sekretariatMenu, ...accountMenu],
  superadmin: [...superadminMenu, ...sekretariatMenu, ...accountMenu],
};

const pages = {
  "/": () => go(token.get() ? homeOf(token.who().role) : "#/masuk"),
  ...accountPages,
  ...candidatePages,
  ...adminPages,
  ...adminTestPages,
  ...adminFinalPages,
  ...pembinaanPages,
};

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
  nav();
  const { path, query } = params();
  const page = pages[path];
  if (!page) { show(h("h1", { text: "Halaman tidak ditemukan" }), h("a", { href: "#/", text: "Ke beranda" })); return; }
  try {
    await page({ query });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) { go("#/masuk"); return; }
    show(h("h1", { text: "Terjadi kesalahan" }), h("p", { class: "msg error", role: "alert", text: error.message }));
  }
}

window.addEventListener("hashchange", route);
route();
