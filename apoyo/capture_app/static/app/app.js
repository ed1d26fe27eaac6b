// Apoyo Captura: the auxiliary's capture app. Plain ES modules, no framework, no build step.
// Three views in one page, picked by the URL's hash: the list of captures (""), a new capture
// ("#captura") and the login ("#entrar", or whenever there is no session on this phone).

import * as api from "./api.js";
import { preparePhoto } from "./capture.js";
import * as db from "./db.js";
import {
  displayDay,
  electorKeyWarnings,
  FIELD_ORDER,
  isoInZone,
  periodError,
  periodNotice,
  validateFields,
} from "./rules.js";
import { SignaturePad } from "./signature.js";
import * as sync from "./sync.js";

const $ = (id) => document.getElementById(id);
const { WAITING, SENDING, REJECTED } = db.STATES;
const PHOTOS = ["front", "back", "selfie"];
const FORM_ORDER = ["front", "back", ...FIELD_ORDER, "selfie", "signature"];
const MISSING = {
  front: "Falta la foto del frente de la credencial.",
  back: "Falta la foto del reverso de la credencial.",
  selfie: "Falta la foto viva del ciudadano.",
  signature: "Falta la firma del ciudadano.",
};
const BADGES = { waiting: "En espera", sending: "Enviando", sent: "Enviada", rejected: "Rechazada" };
const DEFAULT_MAX_IMAGE_BYTES = 5 * 1024 * 1024;

let session = null; // {token, expires_at, username, name, expired?}
let profile = null; // GET /api/v1/profile/, kept for offline starts.
let photos = {}; // Field -> Promise of the Blob to store (prepared as soon as the photo is taken).
let signature = null;

// Small DOM helpers ------------------------------------------------------------------------------

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function fullName(fields) {
  return [fields.name, fields.paternal_surname, fields.maternal_surname].filter(Boolean).join(" ");
}

function notify(message) {
  $("notice").textContent = message;
  $("notice").hidden = !message;
}

function showNetwork() {
  const online = navigator.onLine;
  $("network").textContent = online ? "En línea" : "Sin conexión";
  $("network").classList.toggle("offline", !online);
}

// Views ------------------------------------------------------------------------------------------

function show(view) {
  $("loading").hidden = true;
  for (const id of ["login-view", "home-view", "capture-view"]) $(id).hidden = id !== view;
}

function route() {
  if (!session || !profile || location.hash === "#entrar") {
    showLogin();
  } else if (location.hash === "#captura") {
    notify("");
    show("capture-view");
    signature.resize();
    window.scrollTo(0, 0);
  } else {
    show("home-view");
    renderHome();
  }
}

function showLogin() {
  show("login-view");
  const expired = Boolean(session?.expired);
  $("session-expired").hidden = !expired;
  $("login-back").hidden = !(session && profile);
  if (session?.username) $("login-username").value = session.username;
  $("login-error").hidden = true;
}

function renderProfile() {
  const { aspirant, office, process, period } = profile;
  $("profile-name").textContent = profile.name || profile.username;
  $("profile-aspirant").textContent = `${aspirant.code} · ${aspirant.name}`;
  $("profile-office").textContent = `${office.name} · ${process.name}`;
  $("profile-period").textContent = `${displayDay(period.start)} al ${displayDay(period.end)}`;
}

const timeFormats = new Map();

function formatTime(capture) {
  try {
    const zone = profile.time_zone;
    if (!timeFormats.has(zone)) {
      const options = { timeZone: zone, dateStyle: "short", timeStyle: "short" };
      timeFormats.set(zone, new Intl.DateTimeFormat("es-MX", options));
    }
    return timeFormats.get(zone).format(new Date(capture.capturedMs));
  } catch {
    return capture.capturedAt;
  }
}

function captureItem(capture) {
  const item = element("li", undefined, `capture ${capture.state}`);
  item.dataset.uuid = capture.uuid;
  const when = element("time", formatTime(capture));
  when.dateTime = capture.capturedAt;
  const badge = element("span", BADGES[capture.state], `badge ${capture.state}`);
  if (capture.state === REJECTED) badge.textContent = `Rechazada: ${capture.reason}`;
  const name = element("strong", fullName(capture.fields));
  item.append(name, element("span", capture.fields.elector_key, "mono"), when, badge);
  if (capture.state === db.STATES.SENT && capture.statusLabel) {
    item.append(element("span", capture.statusLabel, "help"));
  }
  return item;
}

function countWaiting(captures) {
  return captures.filter((capture) => capture.state === WAITING || capture.state === SENDING).length;
}

let rendering = Promise.resolve();

/** Redraw the list and counters from IndexedDB (one redraw at a time, in order). */
function renderHome() {
  rendering = rendering.then(async () => {
    if (!session || !profile) return;
    renderProfile();
    $("period-alert").textContent = periodNotice(profile, new Date()) || "";
    $("period-alert").hidden = !$("period-alert").textContent;
    $("relogin-alert").hidden = !session.expired;
    const captures = await db.listCaptures(session.username);
    const waiting = countWaiting(captures);
    $("waiting-count").textContent = String(waiting);
    $("waiting-label").textContent = `${waiting === 1 ? "captura" : "capturas"} en espera de envío`;
    $("capture-list").replaceChildren(...captures.reverse().map(captureItem));
    $("empty-list").hidden = captures.length > 0;
  });
  // A failed redraw must not stop the next ones.
  rendering = rendering.catch((error) => console.error("render", error));
  return rendering;
}

// Session ----------------------------------------------------------------------------------------

function startSession() {
  renderProfile();
  route();
  if (session.expired) return; // Capture goes on; sending waits for a new login.
  sync.start(session, { changed: renderHome, authFailed: expireSession });
  refreshProfile();
}

/** A fresh profile at every online start: the OPL may have changed the period or the limits. */
async function refreshProfile() {
  if (!navigator.onLine) return;
  try {
    profile = await api.profile(session.token);
    await db.setSetting("profile", profile);
    renderHome();
  } catch (error) {
    if (error instanceof api.ApiError && error.kind === "auth") expireSession(error);
  }
}

/** 401 (or 403): the queue stays on the phone, untouched, until the auxiliary logs in again. */
async function expireSession(error) {
  sync.stop();
  if (!session || session.expired) return;
  session = { ...session, expired: true };
  await db.setSetting("session", session);
  if (error?.status === 403) notify(error.message);
  renderHome();
}

async function logIn(event) {
  event.preventDefault();
  const username = $("login-username").value.trim();
  const password = $("login-password").value;
  const problem = $("login-error");
  problem.hidden = true;
  if (!username || !password) {
    problem.textContent = "Escriba su usuario y su contraseña.";
    problem.hidden = false;
    return;
  }
  if (!navigator.onLine) {
    problem.textContent = "Para entrar necesita conexión a internet.";
    problem.hidden = false;
    return;
  }
  const button = event.submitter || $("login-form").querySelector("button");
  button.disabled = true;
  try {
    const newSession = await api.logIn(username, password);
    const newProfile = await api.profile(newSession.token);
    await db.setSetting("session", newSession);
    await db.setSetting("profile", newProfile);
    sync.stop();
    session = newSession;
    profile = newProfile;
    $("login-password").value = "";
    // Ask the browser not to evict the queue when the phone runs short of space.
    navigator.storage?.persist?.().catch(() => {});
    notify("");
    history.replaceState(null, "", location.pathname);
    startSession();
  } catch (error) {
    const known = error instanceof api.ApiError;
    problem.textContent = known ? error.message : "No se pudo entrar; intente de nuevo.";
    problem.hidden = false;
  } finally {
    button.disabled = false;
  }
}

async function logOut() {
  const waiting = countWaiting(await db.listCaptures(session.username));
  if (
    waiting &&
    !window.confirm(
      `Hay ${waiting} ${waiting === 1 ? "captura" : "capturas"} sin enviar. Se quedan guardadas en este ` +
        `teléfono y se enviarán cuando vuelva a entrar como ${session.username}. ¿Salir de todos modos?`,
    )
  ) {
    return;
  }
  sync.stop();
  if (!session.expired) {
    // Without network the token cannot be revoked here; it expires on the server by itself.
    await api.logOut(session.token).catch(() => {});
  }
  await db.deleteSetting("session");
  await db.deleteSetting("profile");
  session = null;
  profile = null;
  $("login-username").value = "";
  history.replaceState(null, "", location.pathname);
  notify("Sesión cerrada.");
  route();
}

// Capture form -----------------------------------------------------------------------------------

function setPreview(field, blob) {
  const preview = document.querySelector(`[data-photo="${field}"] img.preview`);
  if (preview.src) URL.revokeObjectURL(preview.src);
  preview.hidden = !blob;
  if (blob) preview.src = URL.createObjectURL(blob);
  else preview.removeAttribute("src");
}

function photoTaken(event) {
  const field = event.target.name;
  const file = event.target.files[0];
  fieldError(field, "");
  if (!file) {
    delete photos[field];
    setPreview(field, null);
    return;
  }
  const maxBytes = profile.max_image_bytes || DEFAULT_MAX_IMAGE_BYTES;
  const prepared = preparePhoto(file, maxBytes);
  photos[field] = prepared;
  prepared.then(
    (blob) => photos[field] === prepared && setPreview(field, blob),
    (error) => photos[field] === prepared && fieldError(field, error.message),
  );
}

function fieldError(field, message) {
  const note = $(`${field}-error`);
  note.textContent = message;
  note.hidden = !message;
  const input = $(field);
  if (input && input.tagName === "INPUT") input.setAttribute("aria-invalid", message ? "true" : "false");
}

function showErrors(errors) {
  const summary = $("form-errors");
  const list = element("ul");
  for (const { field, message } of errors) {
    if (field) fieldError(field, message);
    list.append(element("li", message));
  }
  summary.replaceChildren(element("p", "No se guardó la captura:"), list);
  summary.hidden = false;
  summary.focus();
}

function clearErrors() {
  $("form-errors").hidden = true;
  for (const field of FORM_ORDER) fieldError(field, "");
}

function rawFields() {
  const form = $("capture-form");
  return Object.fromEntries(FIELD_ORDER.map((field) => [field, form.elements[field].value]));
}

/** Warnings never block (a name can change; INE uses X placeholders): shown while typing. */
function showWarnings() {
  const raw = rawFields();
  const warnings = electorKeyWarnings(raw.elector_key, raw.name, raw.paternal_surname, raw.maternal_surname);
  $("form-warnings").replaceChildren(...warnings.map((warning) => element("li", warning)));
  $("form-warnings").hidden = warnings.length === 0;
}

function resetForm() {
  $("capture-form").reset();
  for (const field of PHOTOS) setPreview(field, null);
  photos = {};
  signature.clear();
  clearErrors();
  showWarnings();
}

function formTouched() {
  return Object.values(rawFields()).some(Boolean) || Object.keys(photos).length > 0 || !signature.isEmpty;
}

async function saveCapture(event) {
  event.preventDefault();
  const now = new Date(); // The capture time is when the auxiliary saves it.
  clearErrors();
  showWarnings();
  const { values, errors } = validateFields(rawFields());
  const images = {};
  for (const field of PHOTOS) {
    if (!photos[field]) {
      errors.push({ field, message: MISSING[field] });
      continue;
    }
    try {
      images[field] = await photos[field];
    } catch (error) {
      errors.push({ field, message: error.message });
    }
  }
  if (signature.isEmpty) errors.push({ field: "signature", message: MISSING.signature });
  errors.sort((a, b) => FORM_ORDER.indexOf(a.field) - FORM_ORDER.indexOf(b.field));
  const outside = periodError(profile, now);
  if (outside) errors.unshift({ field: null, message: outside });
  if (errors.length) {
    showErrors(errors);
    return;
  }
  images.signature = await signature.toBlob();
  await db.addCapture({
    uuid: crypto.randomUUID(),
    username: session.username,
    capturedAt: isoInZone(now, profile.time_zone),
    capturedMs: now.getTime(),
    fields: values,
    images,
    state: WAITING,
    reason: "",
    stored: false,
    attempts: 0,
  });
  resetForm();
  notify(
    navigator.onLine
      ? `Captura de ${fullName(values)} guardada; se está enviando.`
      : `Captura de ${fullName(values)} guardada; se enviará cuando haya conexión.`,
  );
  location.hash = "";
  if (!session.expired) sync.requestSync();
}

// Start ------------------------------------------------------------------------------------------

function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  const { sw, scope } = document.body.dataset;
  navigator.serviceWorker.register(sw, { scope, updateViaCache: "none" }).catch((error) => {
    console.warn("No se registró el service worker", error);
  });
}

async function main() {
  registerWorker();
  showNetwork();
  window.addEventListener("online", showNetwork);
  window.addEventListener("offline", showNetwork);
  window.addEventListener("hashchange", route);
  signature = new SignaturePad($("signature"));
  $("signature-clear").addEventListener("click", () => signature.clear());
  $("login-form").addEventListener("submit", logIn);
  $("capture-form").addEventListener("submit", saveCapture);
  for (const field of PHOTOS) $(field).addEventListener("change", photoTaken);
  for (const field of FIELD_ORDER) $(field).addEventListener("change", showWarnings);
  $("cancel-capture").addEventListener("click", (event) => {
    if (formTouched() && !window.confirm("¿Descartar esta captura?")) event.preventDefault();
    else resetForm();
  });
  $("logout").addEventListener("click", logOut);
  $("relogin").addEventListener("click", () => (location.hash = "#entrar"));
  $("login-back").addEventListener("click", () => (location.hash = ""));
  $("sync-now").addEventListener("click", () => {
    if (!navigator.onLine) notify("Sin conexión: las capturas se enviarán cuando vuelva la red.");
    else if (session.expired) location.hash = "#entrar";
    else sync.syncNow();
  });
  session = (await db.getSetting("session")) || null;
  profile = (await db.getSetting("profile")) || null;
  if (session && profile) startSession();
  else route();
}

main().catch((error) => {
  console.error(error);
  $("loading").textContent =
    "No se pudo abrir el almacenamiento del teléfono. Salga de la navegación privada o libere " +
    "espacio e intente de nuevo.";
});
