// The one fetch wrapper: Bearer token, Idempotency-Key on writes, problem+json as Indonesian.
const TOKEN = "sobat.token";

export const token = {
  get: () => localStorage.getItem(TOKEN),
  set: (value) => localStorage.setItem(TOKEN, value),
  clear: () => localStorage.removeItem(TOKEN),
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

export function newKey() {
  return crypto.randomUUID ? crypto.randomUUID()
    : String(Date.now()) + Math.random().toString(16).slice(2);
}

// -> {status, data, date}: date is the server's Date header (for the server clock offset).
export async function api(method, path, body, options = {}) {
  const headers = { Accept: "application/json" };
  const bearer = token.get();
  if (bearer) headers.Authorization = "Bearer " + bearer;
  if (method !== "GET") headers["Idempotency-Key"] = options.key || newKey();
  let payload;
  if (body !== undefined) {
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
  return { status: response.status, data, date: response.headers.get("Date") };
}

// A raw file upload with progress (fetch cannot report upload progress).
export function upload(path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", "/api/v1" + path);
    xhr.setRequestHeader("Authorization", "Bearer " + token.get());
    xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
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
