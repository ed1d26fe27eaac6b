// The home screen's status, redrawn from the queue at every change, so that nothing it says goes
// stale: the session banner (expired or deactivated), the state of the queue, "Nueva captura"
// (disabled, with the reason, outside the collection period or once the account is deactivated),
// the captures per day, and the install button where the browser offers one.

import * as db from "./db.js";
import { dayInZone, displayDay, periodClosed } from "./rules.js";
import { $, element } from "./ui.js";

const { WAITING, SENDING, CONFLICT } = db.STATES;
// Captures on the phone the server does not hold yet.
const UNSENT = new Set([WAITING, SENDING, CONFLICT]);
const SHOWN_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

export const DEACTIVATED = "Su cuenta fue desactivada. Consulte al aspirante para el que trabaja.";
const SESSION_BANNERS = {
  expired: "Su sesión venció: las capturas esperan en este teléfono.",
  deactivated:
    `${DEACTIVATED} Las capturas en espera se quedan en este teléfono: si el aspirante reactiva ` +
    "su cuenta, entre de nuevo para enviarlas.",
};

/** Expired (401: log in again) or deactivated (403 account_deactivated: the aspirant must act
 * first); the queue stays on the phone in both cases. */
export function renderSessionAlert(session) {
  const alert = $("relogin-alert");
  alert.hidden = !session.expired;
  alert.classList.toggle("error", Boolean(session.deactivated));
  alert.classList.toggle("warning", !session.deactivated);
  $("relogin-text").textContent = SESSION_BANNERS[session.deactivated ? "deactivated" : "expired"];
}

// Said under "Nueva captura" once the server answered account_deactivated: the aspirant deactivated
// the account, which the confirmation they saw says stops the volunteer capturing.
export const DEACTIVATED_CAPTURE =
  "Su cuenta fue desactivada: no se pueden hacer capturas nuevas hasta que el aspirante la " +
  "reactive y usted entre de nuevo.";

/** Why no new capture may be started now (the account deactivated, or outside the collection
 * period), or null. */
export function captureClosed(profile, now, session) {
  if (session?.deactivated) return DEACTIVATED_CAPTURE;
  return periodClosed(profile, now);
}

/** "Nueva captura" is a link while captures may be made; otherwise a disabled link (still
 * focusable, so a screen reader reaches it) described by the reason. Returns the reason, or null. */
export function renderNewCapture(profile, now, session) {
  const reason = captureClosed(profile, now, session);
  const link = $("new-capture");
  if (reason) {
    link.removeAttribute("href");
    link.setAttribute("role", "link");
    link.setAttribute("aria-disabled", "true");
    link.tabIndex = 0;
  } else {
    link.setAttribute("href", "#captura");
    link.removeAttribute("role");
    link.removeAttribute("aria-disabled");
    link.removeAttribute("tabindex");
  }
  $("period-alert").textContent = reason || "";
  $("period-alert").hidden = !reason;
  return reason;
}

/** One line on what happens to the captures waiting: hidden when none waits, or when the session
 * banner already says why they wait. */
export function renderQueueStatus({ waiting, online, session, retrying }) {
  let text = "";
  let kind = "";
  if (waiting > 0 && !session.expired) {
    const them = waiting === 1 ? "se enviará" : "se enviarán";
    if (!online) [kind, text] = ["offline", `Sin conexión: ${them} cuando vuelva la red.`];
    else if (retrying) [kind, text] = ["retry", "El servidor no respondió; se reintentará en unos momentos."];
    else [kind, text] = ["sending", "Enviando…"];
  }
  const status = $("queue-status");
  status.textContent = text;
  status.className = `queue-status ${kind}`;
  status.hidden = !text;
}

function countBy(map, day) {
  map.set(day, (map.get(day) || 0) + 1);
}

function dayLabel(day, now, timeZone) {
  if (day === dayInZone(now, timeZone)) return "Hoy";
  if (day === dayInZone(new Date(now.getTime() - DAY_MS), timeZone)) return "Ayer";
  return displayDay(day);
}

const number = (value) => value.toLocaleString("es-MX");

/** The captures per day: those the server received (the profile's daily_totals, from any phone of
 * the account) plus those this phone sent after the profile was fetched, and those still on the
 * phone. Without a fetch time (a profile kept by an older version) the phone's own sent captures
 * are at least a floor: they are part of the server's count. No request of its own: it is redrawn
 * at every change of the queue, offline too. */
export function renderTotals(profile, captures, now) {
  const server = new Map((profile.daily_totals || []).map(({ day, total }) => [day, total]));
  const fetched = profile.fetched_ms ?? Infinity;
  const stored = new Map();
  const sentSince = new Map();
  const unsent = new Map();
  for (const capture of captures) {
    const day = capture.capturedAt.slice(0, 10); // The process's calendar day (isoInZone).
    if (capture.stored) {
      countBy(stored, day);
      if (Date.parse(capture.sentAt) > fetched) countBy(sentSince, day);
    } else if (UNSENT.has(capture.state)) {
      countBy(unsent, day);
    }
  }
  const days = [...new Set([...server.keys(), ...stored.keys(), ...unsent.keys()])]
    .sort()
    .reverse()
    .slice(0, SHOWN_DAYS);
  const rows = days.map((day) => {
    const known = (server.get(day) || 0) + (sentSince.get(day) || 0);
    const sent = Math.max(known, stored.get(day) || 0);
    const waiting = unsent.get(day) || 0;
    const row = element("tr");
    const header = element("th", dayLabel(day, now, profile.time_zone));
    header.scope = "row";
    row.append(header, ...[sent, waiting, sent + waiting].map((value) => element("td", number(value))));
    return row;
  });
  $("totals-body").replaceChildren(...rows);
  $("totals").hidden = rows.length === 0;
}

// Installing --------------------------------------------------------------------------------------

let installPrompt = null;

/** The install button, shown only when the browser offers to install the app
 * (beforeinstallprompt: Chromium-based browsers, with the manifest and the service worker). */
export function setUpInstall() {
  const button = $("install");
  window.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault(); // Our button instead of the browser's own banner.
    installPrompt = event;
    button.hidden = false;
  });
  window.addEventListener("appinstalled", () => {
    installPrompt = null;
    button.hidden = true;
  });
  button.addEventListener("click", async () => {
    const prompt = installPrompt;
    if (!prompt) return;
    // An event prompts once; the browser fires a new one if it may ask again later.
    installPrompt = null;
    button.hidden = true;
    await prompt.prompt();
  });
}
