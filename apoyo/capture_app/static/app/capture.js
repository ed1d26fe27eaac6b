// Photos from the phone's camera (or its gallery): made small enough to store and send before they
// enter the queue. A phone camera writes 3 to 8 MB per photo; scaled to 1600 px on the long side a
// credencial stays legible for the mesa de control and costs a few hundred kB of a prepaid plan.

const ACCEPTED = new Set(["image/jpeg", "image/png", "image/webp"]);
const SMALL_ENOUGH = 800 * 1024; // Photos up to this size, in an accepted format, are kept as taken.
const LONG_SIDE = 1600;

/** A canvas's picture as a Blob, encoded at once. Not canvas.toBlob (nor convertToBlob): Chromium
 * encodes those in the page's idle time, which a busy page may not have for seconds. */
export function canvasBlob(canvas, type, quality) {
  const [header, data] = canvas.toDataURL(type, quality).split(",");
  const text = atob(data);
  const bytes = new Uint8Array(text.length);
  for (let index = 0; index < text.length; index += 1) bytes[index] = text.charCodeAt(index);
  return new Blob([bytes], { type: header.slice(5).split(";")[0] });
}

async function decode(file) {
  try {
    return await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    throw new Error("No se pudo leer la foto; tómela de nuevo.");
  }
}

function encode(bitmap, longSide, quality) {
  const scale = Math.min(1, longSide / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff"; // JPEG has no transparency: a transparent PNG would turn black.
  context.fillRect(0, 0, width, height);
  context.drawImage(bitmap, 0, 0, width, height);
  return canvasBlob(canvas, "image/jpeg", quality);
}

/** The photo to store: the file itself when already small, otherwise a JPEG of at most
 * `maxBytes` (the server's limit, from the profile). */
export async function preparePhoto(file, maxBytes) {
  if (!file.type.startsWith("image/") && file.type !== "") {
    throw new Error("El archivo no es una foto.");
  }
  if (ACCEPTED.has(file.type) && file.size <= Math.min(SMALL_ENOUGH, maxBytes)) return file;
  const bitmap = await decode(file);
  try {
    let longSide = LONG_SIDE;
    let quality = 0.85;
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const blob = await encode(bitmap, longSide, quality);
      if (blob.size <= maxBytes) return blob;
      longSide = Math.round(longSide * 0.8);
      quality = Math.max(0.5, quality - 0.08);
    }
  } finally {
    bitmap.close();
  }
  throw new Error("La foto es demasiado grande aun reducida; tómela de nuevo.");
}
