// The one fetch wrapper: Bearer token, Idempotency-Key on writes, problem+json as Indonesian.
const TOKEN = "sobat.token";
const WHO = "sobat.who"; // role and satker of the token, for the menu only: the API decides

export const token = {
  get: () => localStorage.getItem(TOKEN),
  // answer: what POST /auth/token returned
  set: (answer) => {
    localStorage.setItem(TOKEN, answer.access_token);
    localStorage.setItem(WHO, JSON.stringify({ role: answer.role, satker_code: answer.satker_code }));
  },
  who: () => JSON.parse(localStorage.getItem(WHO) || "{}"),
  clear: () => { localStorage.removeItem(TOKEN); localStorage.removeItem(WHO); },
};

const STATUS_TEXT = {
  400: "Permintaan tidak dapat dibaca atau token tidak berlaku.",
  401: "Anda belum masuk atau sesi Anda berakhir. Silakan masuk lagi.",
  403: "Anda tidak berhak melakukan ini.",
  404: "Data tidak ditemukan.",
  409: "Tidak dapat dilakukan sekarang (sudah dilakukan, penuh, atau di luar jadwal).",
  413: "Berkas terlalu besar.",
  415: "Jenis berkas tidak didukung. Gunakan JPEG, PNG atau PDF.",
  422: "Ada isian yang perlu diperbaiki.",
  429: "Terlalu banyak percobaan. Tunggu sebentar lalu coba lagi.",
  503: "Layanan sedang sibuk. Coba lagi sebentar lagi.",
};

export class ApiError extends Error {
  constructor(status, problem) {
    super(STATUS_TEXT[status] || "Terjadi kesalahan. Coba lagi.");
    this.status = status;
    this.problem = problem || {};
    this.fields = (problem && problem.errors) || {};
  }
}

export class OfflineError extends Error {
  constructor() { super("Tidak ada sambungan internet."); }
}

// A page's read that answered after the user had moved on to another page: the page that
// asked must not draw over the one now shown (app.js counts each navigation).
export class Superseded extends Error {
  constructor() { super("superseded"); }
}

let navigations = 0;
export function navigated() { navigations += 1; }

export function newKey() {
  return crypto.randomUUID ? crypto.randomUUID()
    : String(Date.now()) + Math.random().toString(16).slice(2);
}

// -> {status, data, date}: date is the server's Date header (for the server clock offset).
export async function api(method, path, body, options = {}) {
  const asked = navigations;
  const headers = { Accept: "application/json" };
  const bearer = token.get();
  if (bearer) headers.Authorization = "Bearer " + bearer;
  if (method !== "GET") headers["Idempotency-Key"] = options.key || newKey();
  let payload;
  if (body instanceof FormData) {
    payload = body; // multipart: the browser writes the Content-Type with its boundary
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch("/api/v1" + path, { method, headers, body: payload });
  } catch (error) {
    throw new OfflineError();
  }
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (error) { data = null; }
  if (!response.ok) {
    if (response.status === 401 && bearer) token.clear();
    throw new ApiError(response.status, data);
  }
  // Only reads: a write's answer always reaches its caller (a saved answer must be known).
  if (method === "GET" && asked !== navigations) throw new Superseded();
  return { status: response.status, data, date: response.headers.get("Date") };
}

// A raw file upload with progress (fetch cannot report upload progress).
// options: method (PUT), contentType (the file's own type; a phone may not know an .xlsx's).
export function upload(path, file, onProgress, { method = "PUT", contentType } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, "/api/v1" + path);
    xhr.setRequestHeader("Authorization", "Bearer " + token.get());
    xhr.setRequestHeader("Content-Type", contentType || file.type || "application/octet-stream");
    xhr.setRequestHeader("Idempotency-Key", newKey());
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch (error) { data = null; }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(new ApiError(xhr.status, data));
    };
    xhr.onerror = () => reject(new OfflineError());
    xhr.send(file);
  });
}

// A file of a route (a document, an export) fetched with the Bearer token -> {blob, filename}
// (filename: the server's Content-Disposition name, or null).
export async function fetchFile(path) {
  const headers = {};
  const bearer = token.get();
  if (bearer) headers.Authorization = "Bearer " + bearer;
  let response;
  try {
    response = await fetch("/api/v1" + path, { headers });
  } catch (error) {
    throw new OfflineError();
  }
  if (!response.ok) {
    let data = null;
    try { data = await response.json(); } catch (error) { data = null; }
    if (response.status === 401 && bearer) token.clear();
    throw new ApiError(response.status, data);
  }
  const named = /filename="?([^";]+)"?/.exec(response.headers.get("Content-Disposition") || "");
  return { blob: await response.blob(), filename: named ? named[1] : null };
}

// The same, saved by the browser under its name: a bare link would carry no token.
export async function download(path, fallbackName = "unduhan") {
  const { blob, filename } = await fetchFile(path);
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename || fallbackName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
