// The capture API (/api/v1/). Every failure becomes an ApiError whose `kind` says what to do:
//   "auth"    token expired or revoked (401) or account not allowed (403): keep the queue, log in;
//   "invalid" the server refused the data (400 and other 4xx): do not retry, show the reason;
//   "conflict" the server holds the capture's uuid with other data (409): keep it for the volunteer;
//   "retry"   no network, 429 or 5xx: keep it waiting and try again later.
// `code` is the server's code (errors.py): a 403 "account_deactivated" is not an expired session.

const BASE = new URL("../api/v1/", new URL(document.body.dataset.scope, location.origin));

export class ApiError extends Error {
  constructor(kind, message, { status = 0, code = "", errors = [], retryAfter = 0 } = {}) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.errors = errors;
    this.retryAfter = retryAfter; // Seconds the server asked to wait (429), or 0.
  }
}

const GENERIC = {
  400: "El servidor rechazó los datos.",
  401: "Su sesión venció; entre de nuevo.",
  403: "Esta cuenta no puede usar la aplicación de captura.",
  413: "Las fotos son demasiado grandes para el servidor.",
  429: "El servidor recibe demasiadas solicitudes; se reintentará en unos momentos.",
};

function kindOf(status) {
  if (status === 401 || status === 403) return "auth";
  if (status === 408 || status === 429 || status >= 500) return "retry";
  if (status === 409) return "conflict";
  return "invalid";
}

// A stalled connection (signal without data) must not hold a capture in "Enviando" forever; an
// upload of four photos on a slow network gets longer than the other calls.
const TIMEOUT_SECONDS = 30;
const UPLOAD_TIMEOUT_SECONDS = 180;

async function request(method, path, { token, json, form, timeout = TIMEOUT_SECONDS } = {}) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Token ${token}`;
  let body;
  if (json) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form) {
    body = form; // The browser writes the multipart boundary itself.
  }
  let response;
  try {
    // No cookies: the app authenticates with its token only; a Django session open in the same
    // browser plays no part.
    const signal = AbortSignal.timeout ? AbortSignal.timeout(timeout * 1000) : undefined;
    response = await fetch(new URL(path, BASE), {
      method,
      headers,
      body,
      signal,
      credentials: "omit",
      cache: "no-store",
    });
  } catch {
    throw new ApiError("retry", "Sin conexión con el servidor.");
  }
  const data = await response.json().catch(() => null);
  if (response.ok) return { status: response.status, data };
  const errors = Array.isArray(data?.errors) ? data.errors : [];
  const messages = errors.map((error) => error.message).filter(Boolean);
  const detail = typeof data?.detail === "string" ? data.detail : "";
  // A conflict's detail names what differs, and its errors the values the server holds.
  const message =
    (response.status === 409 && [detail, ...messages].join(" ").trim()) ||
    messages.join(" ") ||
    detail ||
    GENERIC[response.status] ||
    `Error del servidor (${response.status}).`;
  throw new ApiError(kindOf(response.status), message, {
    status: response.status,
    code: typeof data?.code === "string" ? data.code : "",
    errors,
    retryAfter: Number(response.headers.get("Retry-After")) || 0,
  });
}

/** {token, expires_at, username, name}. Bad credentials are "invalid", not "auth". */
export async function logIn(username, password) {
  try {
    return (await request("POST", "session/", { json: { username, password } })).data;
  } catch (error) {
    if (error.status === 401) error.kind = "invalid";
    throw error;
  }
}

export async function logOut(token) {
  await request("DELETE", "session/", { token });
}

export async function profile(token) {
  return (await request("GET", "profile/", { token })).data;
}

const EXTENSIONS = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp" };

/** Send one capture; resolves with the stored support (201 new, 200 already stored as it is). */
export async function sendSupport(token, capture) {
  const form = new FormData();
  form.append("uuid", capture.uuid);
  form.append("captured_at", capture.capturedAt);
  for (const [field, value] of Object.entries(capture.fields)) {
    // Exactly one of OCR and CIC travels; the other is absent rather than empty.
    if (value !== "" || (field !== "ocr" && field !== "cic")) form.append(field, value);
  }
  for (const [field, blob] of Object.entries(capture.images)) {
    form.append(field, blob, `${field}.${EXTENSIONS[blob.type] || "jpg"}`);
  }
  return (await request("POST", "supports/", { token, form, timeout: UPLOAD_TIMEOUT_SECONDS })).data;
}

/** The server's current state of the supports with these uuids: [{uuid, status, reason, ...}]. */
export async function supportStates(token, uuids) {
  const query = new URLSearchParams({ uuid: uuids.join(",") });
  return (await request("GET", `supports/?${query}`, { token })).data.results;
}
