// The phone's storage: IndexedDB keeps the capture queue (data and image Blobs) and the session and
// profile, so closing or reloading the app offline loses nothing.
//
// A capture: {uuid, username, capturedAt (ISO with offset), capturedMs, fields, images: {front,
// back, selfie, signature} (Blobs, dropped once the server stored them), state, reason, stored,
// serverStatus, statusLabel, attempts, sentAt}. state is one of STATES.

export const STATES = {
  WAITING: "waiting", // In the queue; sent as soon as there is network.
  SENDING: "sending", // A send is in flight (back to waiting if the app closes meanwhile).
  SENT: "sent", // The server stored it.
  REJECTED: "rejected", // The server refused it (reason in Spanish), or the mesa de control did.
};

const NAME = "apoyo-captura";
const VERSION = 1;
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
    request.onupgradeneeded = () => {
      const db = request.result;
      const captures = db.createObjectStore("captures", { keyPath: "uuid" });
      captures.createIndex("username", "username");
      db.createObjectStore("settings");
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

export function addCapture(capture) {
  return transaction(["captures"], "readwrite", ({ captures }) => promised(captures.add(capture)));
}

/** A user's captures, oldest first: the order they are sent in. */
export async function listCaptures(username) {
  const all = await transaction(["captures"], "readonly", ({ captures }) =>
    promised(captures.index("username").getAll(username)),
  );
  return all.sort((a, b) => a.capturedMs - b.capturedMs);
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
