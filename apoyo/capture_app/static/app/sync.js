// Sending the queue. One drain at a time (a Web Lock across tabs, a promise within this one), the
// captures in the order they were taken. Each send carries the capture's uuid, so a send retried
// after a lost answer is recognised by the server and never stored twice.

import * as api from "./api.js";
import * as db from "./db.js";

const { WAITING, SENT, REJECTED, CONFLICT } = db.STATES;
const FIRST_DELAY = 5_000;
const MAX_DELAY = 5 * 60_000;
const REFRESH_EVERY = 5 * 60_000;
const REFRESH_BATCH = 50;

let session = null; // {token, username, ...}; null while logged out or expired.
let hooks = { changed() {}, authFailed() {} };
let running = null;
let again = false;
let failures = 0;
let retryTimer = null;
let lastRefresh = 0;

/** Start syncing for this session: on network, every minute, and whenever asked. */
export function start(currentSession, callbacks) {
  session = currentSession;
  hooks = callbacks;
  lastRefresh = 0;
  syncNow();
}

/** Send now, without waiting out a backoff, and refresh the states of the sent captures. */
export function syncNow() {
  failures = 0;
  lastRefresh = 0;
  clearTimeout(retryTimer);
  return requestSync();
}

/** Whether the last send failed for the network or the server, and a retry is scheduled. */
export function retrying() {
  return failures > 0;
}

export function stop() {
  session = null;
  clearTimeout(retryTimer);
}

// The network is back: no reason to wait out the backoff.
window.addEventListener("online", () => syncNow());
// A safety net for sends another tab left behind, or a missed "online" event.
setInterval(() => requestSync(), 60_000);

/** Ask for a drain of the queue; a drain already running picks up the request when it ends. */
export function requestSync() {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    do {
      again = false;
      await withLock(drain);
    } while (again);
  })()
    .catch((error) => console.error("sync", error))
    .finally(() => {
      running = null;
    });
  return running;
}

function withLock(work) {
  // Another tab holding the lock is sending this same queue: skip, it will send ours too.
  if (!navigator.locks) return work();
  return navigator.locks.request("apoyo-sync", { ifAvailable: true }, (lock) => (lock ? work() : null));
}

function scheduleRetry(retryAfterSeconds) {
  failures += 1;
  const backoff = Math.min(MAX_DELAY, FIRST_DELAY * 2 ** (failures - 1));
  // Jitter: a hundred phones regaining signal together must not retry in step.
  const delay = Math.max(retryAfterSeconds * 1000, backoff * (0.5 + Math.random() / 2));
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => requestSync(), delay);
}

async function drain() {
  const active = session;
  if (!active || !navigator.onLine) return;
  // We hold the lock: nothing of this browser is sending, so "sending" means an interrupted send.
  await db.requeueInterrupted();
  // Stop at once after a logout (the session object changes).
  while (session === active) {
    const next = await db.claimNext(active.username);
    if (!next) break;
    hooks.changed();
    try {
      const stored = await api.sendSupport(active.token, next);
      await db.updateCapture(next.uuid, {
        ...fromServer(stored),
        stored: true,
        sentAt: new Date().toISOString(),
        images: {}, // The server has them now; free the phone's storage.
      });
      failures = 0;
    } catch (error) {
      if (!(error instanceof api.ApiError)) throw error;
      if (error.kind === "conflict") {
        // The server holds this uuid with other data (edited after a send whose answer was lost):
        // kept with its photos for the volunteer to make it match or delete; never resent alone.
        await db.updateCapture(next.uuid, { state: CONFLICT, reason: error.message });
      } else if (error.kind === "invalid") {
        // Never resent, so its photos (personal data) need not stay on the phone either.
        const rejected = { state: REJECTED, reason: error.message, stored: false, images: {} };
        await db.updateCapture(next.uuid, rejected);
      } else {
        await db.updateCapture(next.uuid, { state: WAITING, attempts: (next.attempts || 0) + 1 });
        hooks.changed();
        if (error.kind === "auth") {
          hooks.authFailed(error);
        } else {
          scheduleRetry(error.retryAfter);
        }
        return;
      }
    }
    hooks.changed();
  }
  await refreshStates(active);
}

/** The local state of a support the server answered with: rejected by the mesa de control when
 * it carries a reason, sent otherwise. */
function fromServer(support) {
  const reason = support.reason || "";
  return {
    state: reason ? REJECTED : SENT,
    reason,
    serverStatus: support.status,
    statusLabel: support.status_label || "",
  };
}

/** Ask the server how the sent captures are doing (the mesa de control may have rejected some). */
async function refreshStates(activeSession) {
  if (session !== activeSession || Date.now() - lastRefresh < REFRESH_EVERY) return;
  const stored = (await db.listCaptures(activeSession.username)).filter((capture) => capture.stored);
  try {
    for (let index = 0; index < stored.length; index += REFRESH_BATCH) {
      const batch = stored.slice(index, index + REFRESH_BATCH).map((capture) => capture.uuid);
      for (const support of await api.supportStates(activeSession.token, batch)) {
        await db.updateCapture(support.uuid, fromServer(support));
      }
    }
    lastRefresh = Date.now();
    hooks.changed();
  } catch (error) {
    if (!(error instanceof api.ApiError)) throw error;
    if (error.kind === "auth") hooks.authFailed(error);
  }
}
