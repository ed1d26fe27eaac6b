// Apoyo Captura: the auxiliary's capture app. Plain ES modules, no framework, no build step.
// Views in one page, picked by the URL's hash: the list of captures (""), a new capture
// ("#captura"), one capture read only ("#ver/<uuid>") or edited ("#editar/<uuid>", while not sent)
// and the login ("#entrar", or whenever there is no session on this phone).

import * as api from "./api.js";
import * as db from "./db.js";
import * as form from "./form.js";
import * as home from "./home.js";
import * as pending from "./pending.js";
import { displayDay } from "./rules.js";
import * as sync from "./sync.js";
import { $, notify, updateNotice } from "./ui.js";

const { WAITING, SENDING } = db.STATES;
const VIEWS = ["login-view", "home-view", "capture-view", "detail-view"];

let session = null; // {token, expires_at, username, name, expired?, deactivated?}
let profile = null; // GET /api/v1/profile/, kept for offline starts.

function showNetwork() {
  const online = navigator.onLine;
  $("network").textContent = online ? "En línea" : "Sin conexión";
  $("network").classList.toggle("offline", !online);
}

// Views ------------------------------------------------------------------------------------------

function show(view) {
  $("loading").hidden = true;
  for (const id of VIEWS) $(id).hidden = id !== view;
  window.scrollTo(0, 0);
}

function route() {
  const [view, uuid] = location.hash.slice(1).split("/");
  if (!session || !profile || view === "entrar") {
    showLogin();
  } else if (view === "captura") {
    const closed = home.renderNewCapture(profile, new Date(), session);
    if (closed) {
      // Reached by its address (or a tab left open past the period's end, or on a deactivated
      // account): say why, go home.
      notify(closed);
      location.replace("#");
      return;
    }
    notify("");
    show("capture-view");
    form.openNew();
  } else if (view === "editar" && uuid) {
    notify("");
    form.openEdit(uuid).then((opened) => opened && show("capture-view"), console.error);
  } else if (view === "ver" && uuid) {
    pending.showDetail(uuid, profile.time_zone).then((found) => found && show("detail-view"), console.error);
  } else {
    show("home-view");
    renderHome();
  }
}

function showLogin() {
  show("login-view");
  const expired = Boolean(session?.expired);
  $("session-expired").hidden = !expired;
  $("session-expired").textContent = session?.deactivated
    ? `${home.DEACTIVATED} Si el aspirante la reactiva, entre de nuevo para enviar las capturas en espera.`
    : SESSION_EXPIRED;
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

const SESSION_EXPIRED =
  "Su sesión venció. Entre de nuevo para enviar las capturas en espera; no se ha perdido ninguna.";

function countWaiting(captures) {
  return captures.filter((capture) => capture.state === WAITING || capture.state === SENDING).length;
}

let rendering = Promise.resolve();

/** Redraw the list and counters from IndexedDB (one redraw at a time, in order). */
function renderHome() {
  rendering = rendering.then(async () => {
    if (!session || !profile) return;
    const now = new Date();
    renderProfile();
    home.renderNewCapture(profile, now, session);
    home.renderSessionAlert(session);
    const captures = await db.listCaptures(session.username);
    const waiting = countWaiting(captures);
    const online = navigator.onLine;
    $("waiting-count").textContent = String(waiting);
    $("waiting-label").textContent = `${waiting === 1 ? "captura" : "capturas"} en espera de envío`;
    home.renderQueueStatus({ waiting, online, session, retrying: sync.retrying() });
    home.renderTotals(profile, captures, now);
    updateNotice({ captures, online, session });
    const items = captures.reverse().map((capture) => pending.captureItem(capture, profile.time_zone));
    $("capture-list").replaceChildren(...items);
    $("empty-list").hidden = captures.length > 0;
  });
  // A failed redraw must not stop the next ones.
  rendering = rendering.catch((error) => console.error("render", error));
  return rendering;
}

// Session ----------------------------------------------------------------------------------------

/** `fresh`: the profile was fetched just now (at login). */
async function startSession(fresh = false) {
  renderProfile();
  route();
  if (session.expired) return; // Capture goes on; sending waits for a new login.
  const started = session;
  // The profile first, then the queue: the per-day totals the profile brings count exactly the
  // captures sent before it (home.renderTotals adds those sent after).
  if (!fresh) await refreshProfile();
  if (session === started) sync.start(session, { changed: renderHome, authFailed: expireSession });
}

/** The profile, stamped with when it was fetched (on the phone's clock, as each capture's sentAt). */
async function fetchProfile(token) {
  return { ...(await api.profile(token)), fetched_ms: Date.now() };
}

/** A fresh profile at every online start: the OPL may have changed the period or the limits. */
async function refreshProfile() {
  if (!navigator.onLine) return;
  const asked = session;
  try {
    const fetched = await fetchProfile(asked.token);
    if (session !== asked) return; // Logged out (or expired) meanwhile.
    profile = fetched;
    await db.setSetting("profile", profile);
    renderHome();
  } catch (error) {
    if (error instanceof api.ApiError && error.kind === "auth") expireSession(error);
  }
}

/** 401 (the session expired: log in again) or 403 (code account_deactivated: the aspirant
 * deactivated the auxiliary, and only they can undo it): the queue stays on the phone,
 * untouched, until the auxiliary logs in again. */
async function expireSession(error) {
  sync.stop();
  if (!session || session.expired) return;
  const deactivated = error?.code === "account_deactivated";
  session = { ...session, expired: true, deactivated };
  await db.setSetting("session", session);
  // Another 403 (the account is no longer an auxiliary's): the server's words say why.
  if (error?.status === 403 && !deactivated) notify(error.message);
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
    const newProfile = await fetchProfile(newSession.token);
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
    startSession(true).catch((error) => console.error("start", error));
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

// Start ------------------------------------------------------------------------------------------

function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  const { sw, scope } = document.body.dataset;
  navigator.serviceWorker.register(sw, { scope, updateViaCache: "none" }).catch((error) => {
    console.warn("No se registró el service worker", error);
  });
}

function networkChanged() {
  showNetwork();
  if (session && profile) renderHome();
}

async function main() {
  home.setUpInstall(); // Before any await: the browser may offer the install at once.
  registerWorker();
  showNetwork();
  window.addEventListener("online", networkChanged);
  window.addEventListener("offline", networkChanged);
  window.addEventListener("hashchange", route);
  form.setUp({
    current: () => ({ session, profile }),
    saved: () => session.expired || sync.requestSync(),
  });
  pending.setUp({ changed: renderHome });
  $("login-form").addEventListener("submit", logIn);
  $("logout").addEventListener("click", logOut);
  $("relogin").addEventListener("click", () => (location.hash = "#entrar"));
  $("login-back").addEventListener("click", () => (location.hash = ""));
  $("sync-now").addEventListener("click", () => {
    // Said until the network is back, no longer.
    const offline = "Sin conexión: las capturas se enviarán cuando vuelva la red.";
    if (!navigator.onLine) notify(offline, ({ online }) => (online ? "" : offline));
    else if (session.expired) location.hash = "#entrar";
    else sync.syncNow();
  });
  session = (await db.getSetting("session")) || null;
  profile = (await db.getSetting("profile")) || null;
  if (session && profile) startSession().catch((error) => console.error("start", error));
  else route();
}

main().catch((error) => {
  console.error(error);
  $("loading").textContent =
    "No se pudo abrir el almacenamiento del teléfono. Salga de la navegación privada o libere " +
    "espacio e intente de nuevo.";
});
