// The capture form: a new capture ("#captura"), or a capture not sent yet being edited
// ("#editar/<uuid>": the same form, filled, checked again by rules.js, keeping its uuid, its
// capture time and its photos and signature unless taken again).

import { preparePhoto } from "./capture.js";
import * as db from "./db.js";
import { electorKeyWarnings, FIELD_ORDER, isoInZone, periodError, validateFields } from "./rules.js";
import { SignaturePad } from "./signature.js";
import { $, element, formatTime, fullName, notify } from "./ui.js";

const PHOTOS = ["front", "back", "selfie"];
const FORM_ORDER = ["front", "back", ...FIELD_ORDER, "selfie", "signature"];
const MISSING = {
  front: "Falta la foto del frente de la credencial.",
  back: "Falta la foto del reverso de la credencial.",
  selfie: "Falta la foto viva del ciudadano.",
  signature: "Falta la firma del ciudadano.",
};
const TWIN_STATES = {
  waiting: "en espera de envío",
  sending: "enviándose",
  sent: "ya enviada",
  rejected: "ya enviada y rechazada por la mesa de control",
  conflict: "por corregir",
};
const DEFAULT_MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const NOT_HERE = "Esa captura ya no está en este teléfono.";
const GONE = "Esta captura se envió o se eliminó mientras la editaba: no se cambió.";
const USE_EDIT = ": si hay que corregirla, use «Editar» en la lista de capturas.";

let app = null; // {current() -> {session, profile}, saved()}, from setUp.
let photos = {}; // Field -> Promise of the Blob to store (prepared as soon as the photo is taken).
let kept = {}; // Field -> the stored Blob of the capture being edited.
let signature = null;
let editing = null; // The stored capture being edited; null for a new capture.
let saving = false;
let changed = false;

// Photos and errors -------------------------------------------------------------------------------

/** The photo's preview, and its camera button's words: "Tomar foto" until there is one, then
 * "Cambiar foto" (the button's accessible name, the input's label, changes with them). */
function setPreview(field, blob) {
  const box = document.querySelector(`[data-photo="${field}"]`);
  const preview = box.querySelector("img.preview");
  if (preview.src) URL.revokeObjectURL(preview.src);
  preview.hidden = !blob;
  if (blob) preview.src = URL.createObjectURL(blob);
  else preview.removeAttribute("src");
  box.querySelector(".camera-action").textContent = blob ? "Cambiar foto" : "Tomar foto";
  box.classList.toggle("taken", Boolean(blob));
}

function photoTaken(event) {
  const field = event.target.name;
  const file = event.target.files[0];
  fieldError(field, "");
  if (!file) {
    // No photo picked: an edited capture goes back to the one it had.
    if (kept[field]) photos[field] = Promise.resolve(kept[field]);
    else delete photos[field];
    setPreview(field, kept[field] || null);
    return;
  }
  const maxBytes = app.current().profile.max_image_bytes || DEFAULT_MAX_IMAGE_BYTES;
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

// Opening and leaving the form ----------------------------------------------------------------------

function setMode(capture) {
  editing = capture;
  $("capture-title").textContent = capture ? "Editar captura" : "Nueva captura";
  $("edit-help").hidden = !capture;
  $("signature-edit-help").hidden = !capture;
}

function resetForm() {
  $("capture-form").reset();
  for (const field of PHOTOS) setPreview(field, null);
  photos = {};
  kept = {};
  signature.clear();
  setMode(null);
  changed = false;
  clearErrors();
  showWarnings();
}

/** "#captura": the form of a new capture (what was typed before stays, unless it was an edit). */
export function openNew() {
  if (editing) resetForm();
  signature.resize();
}

/** "#editar/<uuid>": the form filled with a capture not sent yet. Resolves false when the capture
 * cannot be edited (it says why and goes elsewhere). */
export async function openEdit(uuid) {
  const found = await db.getCapture(uuid);
  const capture = found?.username === app.current().session.username ? found : null;
  if (!capture || !db.EDITABLE.has(capture.state)) {
    notify(capture ? "Esta captura ya se envió: solo puede verse." : NOT_HERE);
    location.replace(capture ? `#ver/${uuid}` : "#");
    return false;
  }
  resetForm();
  setMode(capture);
  const form = $("capture-form");
  for (const field of FIELD_ORDER) form.elements[field].value = capture.fields[field] || "";
  kept = { ...capture.images };
  for (const field of PHOTOS) {
    if (kept[field]) photos[field] = Promise.resolve(kept[field]);
    setPreview(field, kept[field] || null);
  }
  if (kept.signature) signature.keep(kept.signature);
  showWarnings();
  signature.resize();
  return true;
}

function formTouched() {
  if (editing) return changed;
  return Object.values(rawFields()).some(Boolean) || Object.keys(photos).length > 0 || !signature.isEmpty;
}

function cancel(event) {
  if (saving) {
    event.preventDefault(); // The capture is being stored: it is too late to discard it.
    return;
  }
  const question = editing ? "¿Descartar los cambios de esta captura?" : "¿Descartar esta captura?";
  if (formTouched() && !window.confirm(question)) event.preventDefault();
  else resetForm();
}

// Saving ------------------------------------------------------------------------------------------

/** The photos and signature to store, or the reasons they are missing (added to `errors`). */
async function collectImages(errors) {
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
  return images;
}

function twinMessage(twin, key, timeZone) {
  const when = formatTime(twin, timeZone);
  const fix = db.EDITABLE.has(twin.state) ? USE_EDIT : ".";
  return (
    `Ya hay en este teléfono una captura con la clave de elector ${key} para este aspirante ` +
    `(${fullName(twin.fields)}, del ${when}, ${TWIN_STATES[twin.state]}). No se guarda dos veces${fix}`
  );
}

function aspirantOf(profile) {
  return `${profile.process.code}/${profile.aspirant.code}`;
}

function newCapture(values, images, now, { session, profile }) {
  return {
    uuid: crypto.randomUUID(),
    username: session.username,
    aspirant: aspirantOf(profile),
    capturedAt: isoInZone(now, profile.time_zone),
    capturedMs: now.getTime(),
    fields: values,
    images,
    state: db.STATES.WAITING,
    reason: "",
    stored: false,
    attempts: 0,
  };
}

function editedCapture(values, images, { profile }) {
  const { uuid, username } = editing;
  // A capture saved before captures carried their aspirant is its auxiliary's, who edits it now.
  const aspirant = editing.aspirant ?? aspirantOf(profile);
  const changes = { state: db.STATES.WAITING, reason: "", attempts: 0, editedMs: Date.now() };
  return { uuid, username, aspirant, fields: values, images, ...changes };
}

async function save() {
  const context = app.current();
  const now = new Date(); // A new capture's time is when the auxiliary saves it.
  clearErrors();
  showWarnings();
  const { values, errors } = validateFields(rawFields());
  const images = await collectImages(errors);
  errors.sort((a, b) => FORM_ORDER.indexOf(a.field) - FORM_ORDER.indexOf(b.field));
  const outside = periodError(context.profile, editing ? new Date(editing.capturedMs) : now);
  if (outside) errors.unshift({ field: null, message: outside });
  if (errors.length) return showErrors(errors);
  images.signature = await signature.toBlob();
  const capture = editing ? editedCapture(values, images, context) : newCapture(values, images, now, context);
  const { twin, gone } = await db.storeCapture(capture, { replacing: Boolean(editing) });
  if (twin) {
    const message = twinMessage(twin, values.elector_key, context.profile.time_zone);
    return showErrors([{ field: "elector_key", message }]);
  }
  if (gone) return showErrors([{ field: null, message: GONE }]);
  const what = `Captura de ${fullName(values)} ${editing ? "actualizada" : "guardada"}`;
  const follows = savedNotice(capture.uuid, what);
  resetForm();
  notify(follows({ online: navigator.onLine, session: context.session }), follows);
  location.hash = "";
  $("capture-view").hidden = true; // At once: a third tap must not reach the emptied form.
  app.saved();
}

/** What the notice of a saved capture says as it travels: "se enviará cuando haya conexión"
 * while it waits offline, "enviada" once the server stored it; nothing once it left the phone. */
function savedNotice(uuid, what) {
  return ({ captures, online, session }) => {
    // Before the first redraw (no list yet) it is the capture just saved, waiting.
    const capture = captures ? captures.find((each) => each.uuid === uuid) : { state: db.STATES.WAITING };
    if (!capture) return "";
    if (capture.stored) return `${what} y enviada.`;
    if (capture.state === db.STATES.REJECTED) {
      return `${what}, pero el servidor la rechazó: vea el motivo en la lista.`;
    }
    if (capture.state === db.STATES.CONFLICT) return `${what}, pero quedó por corregir: vea la lista.`;
    if (session.deactivated) return `${what}; se queda en este teléfono mientras su cuenta esté desactivada.`;
    if (session.expired) return `${what}; se enviará cuando entre de nuevo.`;
    return `${what}; ${online ? "se está enviando." : "se enviará cuando haya conexión."}`;
  };
}

function setSaving(on) {
  saving = on;
  const button = $("save-capture");
  button.disabled = on;
  button.textContent = on ? "Guardando…" : "Guardar captura";
}

/** One save at a time: the button is disabled, synchronously, from the first tap until the capture
 * is stored on the phone (or refused), so a double tap cannot store it twice. */
async function submit(event) {
  event.preventDefault();
  if (saving) return;
  setSaving(true);
  try {
    await save();
  } catch (error) {
    console.error("save", error);
    showErrors([{ field: null, message: "No se pudo guardar en el teléfono; intente de nuevo." }]);
  } finally {
    setSaving(false);
  }
}

export function setUp(callbacks) {
  app = callbacks;
  signature = new SignaturePad($("signature"));
  const form = $("capture-form");
  form.addEventListener("submit", submit);
  form.addEventListener("input", () => (changed = true));
  $("signature").addEventListener("pointerdown", () => (changed = true));
  $("signature-clear").addEventListener("click", () => {
    changed = true;
    signature.clear();
  });
  for (const field of PHOTOS) $(field).addEventListener("change", photoTaken);
  for (const field of FIELD_ORDER) $(field).addEventListener("change", showWarnings);
  $("cancel-capture").addEventListener("click", cancel);
}
