// The captures on this phone: the home view's list and the read-only view of one capture
// ("#ver/<uuid>"). "Ver" is offered for every capture; "Editar" and "Eliminar" only for those the
// server has not stored (waiting, or refused with 409 and waiting to be fixed): a sent capture is
// the server's now, and read only.

import * as db from "./db.js";
import { $, BADGES, element, formatTime, fullName, notify } from "./ui.js";

const { SENT, REJECTED, CONFLICT } = db.STATES;
const TITLES = {
  waiting: "Captura en espera",
  sending: "Captura enviándose",
  sent: "Captura enviada",
  rejected: "Captura rechazada",
  conflict: "Captura por corregir",
};
const PHOTO_NAMES = {
  front: "Frente de la credencial",
  back: "Reverso de la credencial",
  selfie: "Foto viva del ciudadano",
  signature: "Firma del ciudadano",
};
const CONFLICT_HELP =
  "Use «Editar» para que coincida con lo que el servidor ya recibió, o «Eliminar» para quitarla de " +
  "este teléfono.";

let changed = () => {}; // Redraw the list, from setUp.
let shownUrls = [];

function actionButton(label, action, name, secondary = true) {
  const button = element("button", label, secondary ? "secondary" : "");
  button.type = "button";
  button.dataset.action = action;
  // The list has many of each: the accessible name says which capture (and starts as it reads).
  button.setAttribute("aria-label", `${label} la captura de ${name}`);
  return button;
}

export function captureItem(capture, timeZone) {
  const item = element("li", undefined, `capture ${capture.state}`);
  item.dataset.uuid = capture.uuid;
  const when = element("time", formatTime(capture, timeZone));
  when.dateTime = capture.capturedAt;
  const badge = element("span", BADGES[capture.state], `badge ${capture.state}`);
  if (capture.state === REJECTED) badge.textContent = `Rechazada: ${capture.reason}`;
  const name = fullName(capture.fields);
  item.append(element("strong", name), element("span", capture.fields.elector_key, "mono"), when, badge);
  if (capture.state === SENT && capture.statusLabel) {
    item.append(element("span", capture.statusLabel, "help"));
  }
  if (capture.state === CONFLICT) {
    item.append(element("p", `${capture.reason} ${CONFLICT_HELP}`, "reason"));
  }
  const actions = element("div", undefined, "item-actions");
  actions.append(actionButton("Ver", "view", name));
  if (db.EDITABLE.has(capture.state)) {
    actions.append(actionButton("Editar", "edit", name), actionButton("Eliminar", "delete", name));
  }
  item.append(actions);
  return item;
}

/** Ask, then delete a capture not sent yet. */
async function remove(uuid) {
  const capture = await db.getCapture(uuid);
  if (!capture) return;
  let question =
    `¿Eliminar la captura de ${fullName(capture.fields)} (${capture.fields.elector_key})? ` +
    "Se borra de este teléfono y no se enviará.";
  if (capture.state === CONFLICT) {
    question += " El apoyo que el servidor ya recibió con este identificador no cambia.";
  }
  if (!window.confirm(question)) return;
  const deleted = await db.deleteCapture(uuid);
  notify(deleted ? "Captura eliminada de este teléfono." : "Esta captura ya se envió: no se eliminó.");
  if (location.hash) location.hash = "";
  else changed();
}

function fieldRows(capture, timeZone) {
  const { fields } = capture;
  const rows = [
    ["Capturada", formatTime(capture, timeZone)],
    ["Clave de elector", fields.elector_key],
    fields.cic ? ["CIC", fields.cic] : ["OCR", fields.ocr],
    ["Nombre", fields.name],
    ["Apellido paterno", fields.paternal_surname || "—"],
    ["Apellido materno", fields.maternal_surname || "—"],
  ];
  if (capture.state === SENT && capture.statusLabel) rows.push(["Mesa de control", capture.statusLabel]);
  return rows.flatMap(([term, value]) => [element("dt", term), element("dd", value)]);
}

function photoFigures(capture) {
  for (const url of shownUrls) URL.revokeObjectURL(url);
  shownUrls = [];
  return Object.entries(PHOTO_NAMES)
    .filter(([field]) => capture.images?.[field])
    .map(([field, label]) => {
      const url = URL.createObjectURL(capture.images[field]);
      shownUrls.push(url);
      const image = element("img");
      image.src = url;
      image.alt = label;
      const figure = element("figure");
      figure.append(image, element("figcaption", label));
      return figure;
    });
}

/** "#ver/<uuid>": fill the read-only view; resolves false when the capture is not on the phone. */
export async function showDetail(uuid, timeZone) {
  const capture = await db.getCapture(uuid);
  if (!capture) {
    notify("Esa captura ya no está en este teléfono.");
    location.replace("#");
    return false;
  }
  $("detail-view").dataset.uuid = uuid;
  $("detail-title").textContent = TITLES[capture.state];
  $("detail-name").textContent = fullName(capture.fields);
  const help = capture.state === CONFLICT ? ` ${CONFLICT_HELP}` : "";
  $("detail-reason").textContent = `${capture.reason}${help}`;
  $("detail-reason").hidden = !capture.reason;
  $("detail-fields").replaceChildren(...fieldRows(capture, timeZone));
  const figures = photoFigures(capture);
  $("detail-photos").replaceChildren(...figures);
  $("detail-no-photos").hidden = figures.length > 0;
  $("detail-no-photos").textContent = capture.stored
    ? "Las fotos y la firma ya están en el servidor: el teléfono no las conserva."
    : "Las fotos y la firma se borraron de este teléfono al rechazarse la captura.";
  const editable = db.EDITABLE.has(capture.state);
  $("detail-edit").hidden = !editable;
  $("detail-delete").hidden = !editable;
  return true;
}

function act(action, uuid) {
  if (action !== "delete") notify(""); // What the list said is about the list.
  if (action === "view") location.hash = `#ver/${uuid}`;
  else if (action === "edit") location.hash = `#editar/${uuid}`;
  else if (action === "delete") remove(uuid).catch((error) => console.error("delete", error));
}

export function setUp(callbacks) {
  changed = callbacks.changed;
  $("capture-list").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (button) act(button.dataset.action, button.closest("li").dataset.uuid);
  });
  $("detail-edit").addEventListener("click", () => act("edit", $("detail-view").dataset.uuid));
  $("detail-delete").addEventListener("click", () => act("delete", $("detail-view").dataset.uuid));
}
