// Small DOM helpers shared by the app's views.

export const $ = (id) => document.getElementById(id);

export const BADGES = {
  waiting: "En espera",
  sending: "Enviando",
  sent: "Enviada",
  rejected: "Rechazada",
  conflict: "Por corregir",
};

export function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

export function fullName(fields) {
  return [fields.name, fields.paternal_surname, fields.maternal_surname].filter(Boolean).join(" ");
}

function showNotice(message) {
  $("notice").textContent = message;
  $("notice").hidden = !message;
}

// What the shown notice says as the queue changes (a function of the home screen's state), so a
// notice never outlives what it reports: "se enviará cuando haya conexión" becomes "enviada".
let follow = null;

/** Show `message`; `follows(state)`, when given, rewords it at every redraw of the home screen
 * (state: {captures, online, session}); an empty wording hides it. */
export function notify(message, follows = null) {
  follow = follows;
  showNotice(message);
}

/** Reword the notice for the current state (called by each redraw of the home screen). */
export function updateNotice(state) {
  if (!follow) return;
  const message = follow(state);
  if (!message) follow = null;
  showNotice(message);
}

const timeFormats = new Map();

/** When a capture was taken, on the calendar of the process's time zone. */
export function formatTime(capture, timeZone) {
  try {
    if (!timeFormats.has(timeZone)) {
      const options = { timeZone, dateStyle: "short", timeStyle: "short" };
      timeFormats.set(timeZone, new Intl.DateTimeFormat("es-MX", options));
    }
    return timeFormats.get(timeZone).format(new Date(capture.capturedMs));
  } catch {
    return capture.capturedAt;
  }
}
