// The phone's storage: IndexedDB keeps the capture queue (data and image Blobs) and the session and
// profile, so closing or reloading the app offline loses nothing.
//
// A capture: {uuid, username, aspirant ("process/aspirant" codes), capturedAt (ISO with offset),
// capturedMs, fields, images: {front, back, selfie, signature} (Blobs, dropped once the server
// stored them), state, reason, stored, serverStatus, statusLabel, attempts, sentAt, editedMs}.
// state is one of STATES.

export const STATES = {
  WAITING: "waiting", // In the queue; sent as soon as there is network.
  SENDING: "sending", // A send is in flight (back to waiting if the app closes meanwhile).
  SENT: "sent", // The server stored it.
  REJECTED: "rejected", // The server refused it (reason in Spanish), or the mesa de control did.
  // The server already holds its uuid with other data (409): kept, photos included, never resent
  // by itself, until the volunteer makes it match or deletes it.
  CONFLICT: "conflict",
};
// What the volunteer may still edit or delete: what the server has not stored.
export const EDITABLE = new Set([STATES.WAITING, STATES.CONFLICT]);

const NAME = "apoyo-captura";
const VERSION = 2;
let opening = null;

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export function open() {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, VERSION);
    request.onupgradeneeded = (event) => {
      const db = request.result;
      if (event.oldVersion < 1) {
        db.createObjectStore("captures", { keyPath: "uuid" }).createIndex("username", "username");
        db.createObjectStore("settings");
      }
      // Version 2: captures by clave de elector, to refuse a second capture of the same citizen.
      const captures = request.transaction.objectStore("captures");
      if (!captures.indexNames.contains("elector_key")) {
        captures.createIndex("elector_key", "fields.elector_key");
      }
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab upgrading to a newer version: let it, this tab reopens on next use.
      db.onversionchange = () => {
        db.close();
        opening = null;
      };
      resolve(db);
    };
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error("Cierre las otras pestañas de Apoyo Captura."));
  });
  return opening;
}

// Run `work(stores)` in one transaction; resolves with its result once the transaction commits, so
// a caller never reports as saved what the phone has not written.
async function transaction(names, mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(names, mode);
    const stores = Object.fromEntries(names.map((name) => [name, tx.objectStore(name)]));
    let result;
    Promise.resolve(work(stores)).then(
      (value) => (result = value),
      (error) => {
        tx.abort();
        reject(error);
      },
    );
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("Transacción cancelada."));
  });
}

export function getSetting(key) {
  return transaction(["settings"], "readonly", ({ settings }) => promised(settings.get(key)));
}

export function setSetting(key, value) {
  return transaction(["settings"], "readwrite", ({ settings }) => promised(settings.put(value, key)));
}

export function deleteSetting(key) {
  return transaction(["settings"], "readwrite", ({ settings }) => promised(settings.delete(key)));
}

/** Whether a capture stands for a support, here or on the server: all but one the server refused
 * (never stored, so capturing that citizen again is how to fix it). */
function counts(capture) {
  return !(capture.state === STATES.REJECTED && !capture.stored);
}

function sameAspirant(other, capture) {
  // Captures saved before they carried their aspirant belong to their auxiliary's.
  const aspirant = other.aspirant ?? (other.username === capture.username ? capture.aspirant : null);
  return aspirant === capture.aspirant;
}

/** Store a new capture, or the edited data of one still editable (same uuid), unless another
 * capture of the same aspirant on this phone has its clave de elector. The check and the write
 * share one transaction, so two saves (two taps, two tabs) cannot both pass. Resolves with
 * {saved}, {twin} (that other capture; nothing written) or {gone} (the capture being edited was
 * sent or deleted meanwhile; nothing written). */
export function storeCapture(capture, { replacing = false } = {}) {
  return transaction(["captures"], "readwrite", async ({ captures }) => {
    const key = capture.fields.elector_key;
    const sameKey = await promised(captures.index("elector_key").getAll(key));
    const twin = sameKey.find(
      (other) => other.uuid !== capture.uuid && counts(other) && sameAspirant(other, capture),
    );
    if (twin) return { twin };
    if (!replacing) {
      await promised(captures.add(capture));
      return { saved: capture };
    }
    const current = await promised(captures.get(capture.uuid));
    if (!current || !EDITABLE.has(current.state)) return { gone: true };
    const saved = { ...current, ...capture };
    await promised(captures.put(saved));
    return { saved };
  });
}

export function getCapture(uuid) {
  return transaction(["captures"], "readonly", ({ captures }) => promised(captures.get(uuid)));
}

/** Delete a capture the server has not stored; resolves false (nothing deleted) when it was sent,
 * is being sent, or is gone. */
export function deleteCapture(uuid) {
  return transaction(["captures"], "readwrite", async ({ captures }) => {
    const capture = await promised(captures.get(uuid));
    if (!capture || !EDITABLE.has(capture.state)) return false;
    await promised(captures.delete(uuid));
    return true;
  });
}

/** A user's captures, oldest first: the order they are sent in. */
export async function listCaptures(username) {
  const all = await transaction(["captures"], "readonly", ({ captures }) =>
    promised(captures.index("username").getAll(username)),
  );
  return all.sort((a, b) => a.capturedMs - b.capturedMs);
}

/** The oldest waiting capture of a user, marked as sending in the same transaction, so that an edit
 * or a deletion cannot slip in between reading it and sending it; null when none waits. */
export function claimNext(username) {
  return transaction(["captures"], "readwrite", async ({ captures }) => {
    const all = await promised(captures.index("username").getAll(username));
    const waiting = all.filter((capture) => capture.state === STATES.WAITING);
    if (!waiting.length) return null;
    const next = waiting.reduce((oldest, each) => (each.capturedMs < oldest.capturedMs ? each : oldest));
    const claimed = { ...next, state: STATES.SENDING };
    await promised(captures.put(claimed));
    return claimed;
  });
}

/** Merge `changes` into a stored capture, read and written in one transaction. */
export function updateCapture(uuid, changes) {
  return transaction(["captures"], "readwrite", async ({ captures }) => {
    const capture = await promised(captures.get(uuid));
    if (!capture) return null;
    const updated = { ...capture, ...changes };
    await promised(captures.put(updated));
    return updated;
  });
}

/** Captures left "sending" by a closed app go back to the queue (a resend is harmless: the
 * server recognises the uuid). */
export function requeueInterrupted() {
  return transaction(["captures"], "readwrite", async ({ captures }) => {
    const all = await promised(captures.getAll());
    for (const capture of all) {
      if (capture.state === STATES.SENDING) {
        await promised(captures.put({ ...capture, state: STATES.WAITING }));
      }
    }
  });
}
