// The validation rules of apoyo/supports/rules.py, ported so the phone refuses what the server would
// refuse, with the same Spanish messages. The server checks everything again: this file only spares
// the auxiliary a rejected capture. Keep it in step with rules.py (test_app_browser compares both).

export const MAX_NAME_LENGTH = 120;
const SHOWN_VALUE_LENGTH = 40;
const ELECTOR_KEY_RE = /^[A-Z]{6}[0-9]{8}[HM][0-9]{3}$/;
const OCR_RE = /^[0-9]{13}$/;
const CIC_RE = /^[0-9]{9}$/;
// Python's str.split() whitespace, exactly (JavaScript's \s differs on a few control characters).
const WHITESPACE_RE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;
// CONTRACT "Settled cases": the dashes U+2010 to U+2015 are hyphens.
const UNICODE_DASHES_RE = /[\u2010-\u2015]/g;
export const FIELD_ORDER = ["elector_key", "ocr", "cic", "name", "paternal_surname", "maternal_surname"];
const ACCENT_TABLE_END = 0x1f00; // Latin-1, Latin Extended-A and -B, Latin Extended Additional.

function collapse(text) {
  return text.replace(WHITESPACE_RE, " ").replace(/^ | $/g, "");
}

// rules._build_accent_table: an accented Latin letter becomes its plain capital, except Ñ; stray
// combining accents are dropped.
function plainLetter(char) {
  const code = char.codePointAt(0);
  if (code >= 0x300 && code < 0x370) return "";
  if (code < 0xc0 || code >= ACCENT_TABLE_END || char === "Ñ" || char === "ñ") return char;
  const parts = char.normalize("NFD");
  const base = parts[0];
  const marks = parts.slice(1);
  if (/^[A-Za-z]$/.test(base) && marks && /^\p{Mn}+$/u.test(marks)) return base.toUpperCase();
  return char;
}

function isAscii(text) {
  return /^[\x00-\x7f]*$/.test(text);
}

/** Trim, collapse inner whitespace, upper case, drop accents but keep Ñ (rules.normalize_text). */
export function normalizeText(value) {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (isAscii(text)) return collapse(text.toUpperCase());
  text = Array.from(text.normalize("NFC").toUpperCase(), plainLetter).join("");
  if (!isAscii(text)) text = text.normalize("NFC").replace(UNICODE_DASHES_RE, "-");
  return collapse(text);
}

/** normalizeText without inner spaces and hyphens, for the clave de elector, OCR and CIC. */
export function normalizeKey(value) {
  return normalizeText(value).replaceAll(" ", "").replaceAll("-", "");
}

function shown(value) {
  const text = String(value ?? "").trim();
  return text.length > SHOWN_VALUE_LENGTH ? text.slice(0, SHOWN_VALUE_LENGTH) + "…" : text;
}

function namePart(raw, field, label, errors) {
  const text = normalizeText(raw);
  if (text.length > MAX_NAME_LENGTH) {
    errors.push({
      field,
      message: `${label} no puede exceder ${MAX_NAME_LENGTH} caracteres (tiene ${text.length}).`,
    });
  }
  return text;
}

// Dates --------------------------------------------------------------------------------------------

function zoneParts(date, timeZone) {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    timeZoneName: "longOffset",
  });
  return Object.fromEntries(format.formatToParts(date).map((part) => [part.type, part.value]));
}

/** The calendar day (YYYY-MM-DD) of an instant in a time zone, such as the process's. */
export function dayInZone(date, timeZone) {
  const parts = zoneParts(date, timeZone);
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** ISO-8601 with the offset of the process's time zone: 2021-01-05T10:31:07-07:00. */
export function isoInZone(date, timeZone) {
  try {
    const parts = zoneParts(date, timeZone);
    const offset = parts.timeZoneName === "GMT" ? "+00:00" : parts.timeZoneName.slice(3);
    const time = `${parts.hour}:${parts.minute}:${parts.second}`;
    return `${parts.year}-${parts.month}-${parts.day}T${time}${offset}`;
  } catch {
    return date.toISOString(); // An unknown zone: UTC is still an unambiguous instant.
  }
}

/** 2021-01-23 -> 23/01/2021, as every page of Apoyo writes dates. */
export function displayDay(isoDay) {
  const [year, month, day] = isoDay.split("-");
  return `${day}/${month}/${year}`;
}

function today(profile, now) {
  try {
    return dayInZone(now, profile.time_zone);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

/** The day of `now` (on the calendar of the process's time zone) when it lies outside the office's
 * collection period, bounds included; null inside it (DOMAIN: the period bounds which supports
 * are accepted). */
function dayOutsidePeriod(profile, now) {
  const { start, end } = profile.period;
  const day = today(profile, now);
  return start <= day && day <= end ? null : day;
}

/** The refusal of a capture saved at `now` outside the period, as the server words it; or null. */
export function periodError(profile, now) {
  const day = dayOutsidePeriod(profile, now);
  if (!day) return null;
  const { start, end } = profile.period;
  return (
    `La captura es del ${displayDay(day)}, fuera del periodo de obtención de apoyo del cargo ` +
    `(${displayDay(start)} al ${displayDay(end)}).`
  );
}

/** Why no new capture can start at `now` (the period is over or has not begun), as the home
 * screen says it beside the disabled "Nueva captura"; or null inside the period. */
export function periodClosed(profile, now) {
  const day = dayOutsidePeriod(profile, now);
  if (!day) return null;
  const { start, end } = profile.period;
  if (day < start) {
    return (
      `El periodo de obtención de apoyo empieza el ${displayDay(start)}: ` +
      "aún no se pueden hacer capturas."
    );
  }
  return (
    `El periodo de obtención de apoyo terminó el ${displayDay(end)}: ` +
    "ya no se pueden hacer capturas nuevas."
  );
}

// The capture --------------------------------------------------------------------------------------

/**
 * Validate and normalise one capture's data as rules.validate_support_row does for a cédula row,
 * with the app's CIC alternative to the OCR. Returns {values, errors}; errors is a list of
 * {field, message}, one per failing field, in the order of the form.
 */
export function validateFields(raw) {
  const errors = [];
  const electorKey = normalizeKey(raw.elector_key);
  const ocr = normalizeKey(raw.ocr);
  const cic = normalizeKey(raw.cic);
  const name = namePart(raw.name, "name", "El nombre", errors);
  const paternal = namePart(raw.paternal_surname, "paternal_surname", "El apellido paterno", errors);
  const maternal = namePart(raw.maternal_surname, "maternal_surname", "El apellido materno", errors);

  if (electorKey === "") {
    errors.push({ field: "elector_key", message: "La clave de elector es obligatoria." });
  } else if (!ELECTOR_KEY_RE.test(electorKey)) {
    errors.push({
      field: "elector_key",
      message:
        "La clave de elector debe tener 18 caracteres: 6 letras, 8 dígitos, H o M y 3 dígitos " +
        `(se recibió «${shown(raw.elector_key)}»).`,
    });
  }
  // Exactly one of OCR and CIC, as the API decides it: "given" means not blank as typed; the OCR
  // is checked whenever given, the CIC only when it is the only one given.
  const hasOcr = String(raw.ocr ?? "").trim() !== "";
  const hasCic = String(raw.cic ?? "").trim() !== "";
  if (hasOcr && !OCR_RE.test(ocr)) {
    const message = ocr
      ? `El OCR debe tener exactamente 13 dígitos (se recibió «${shown(raw.ocr)}»).`
      : "El OCR es obligatorio.";
    errors.push({ field: "ocr", message });
  }
  if (hasOcr && hasCic) {
    errors.push({ field: "cic", message: "Capture solo uno de los dos: el OCR o el CIC." });
  } else if (!hasOcr && !hasCic) {
    const message = "Capture el OCR (13 dígitos) o el CIC (9 dígitos) de la credencial.";
    errors.push({ field: "ocr", message });
  } else if (hasCic && !CIC_RE.test(cic)) {
    const message = cic
      ? `El CIC debe tener exactamente 9 dígitos (se recibió «${shown(raw.cic)}»).`
      : "El CIC es obligatorio.";
    errors.push({ field: "cic", message });
  }
  if (name === "") errors.push({ field: "name", message: "El nombre es obligatorio." });
  if (paternal === "" && maternal === "") {
    errors.push({
      field: "paternal_surname",
      message: "Se requiere al menos un apellido: capture el apellido paterno o el materno.",
    });
  }
  errors.sort((a, b) => FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field));
  const values = {
    elector_key: electorKey,
    ocr,
    cic,
    name,
    paternal_surname: paternal,
    maternal_surname: maternal,
  };
  return { values, errors };
}

// Warnings that never block (rules.elector_key_warnings) ---------------------------------------------

const SURNAME_PARTICLES = new Set("DE DEL LA LAS LOS Y MC MAC VAN VON DA DI".split(" "));
const COMPOUND_NAME_PREFIXES = new Set(["MARIA", "MA", "JOSE", "J"]);
const CONSONANTS = new Set("BCDFGHJKLMNPQRSTVWXYZ");
const KEY_PARTS = [
  [0, "el apellido paterno"],
  [2, "el apellido materno"],
  [4, "el nombre"],
];

function cleanWords(text) {
  return normalizeText(text)
    .replaceAll("Ñ", "X")
    .split(" ")
    .map((word) => word.replace(/[^A-Z]+/g, ""))
    .filter(Boolean);
}

function skipParticles(words) {
  let index = 0;
  while (index < words.length && SURNAME_PARTICLES.has(words[index])) index += 1;
  return words.slice(index);
}

function wordLetters(word) {
  const consonant = Array.from(word.slice(1)).find((letter) => CONSONANTS.has(letter)) || "X";
  return word[0] + consonant;
}

function variants(words) {
  const pairs = [...new Set(words.map(wordLetters))];
  return pairs.length ? pairs : ["XX"];
}

function surnameVariants(surname) {
  const words = cleanWords(surname);
  return variants(skipParticles(words).slice(0, 1).concat(words.slice(0, 1)));
}

function nameVariants(name) {
  const words = cleanWords(name);
  if (words.length > 1 && COMPOUND_NAME_PREFIXES.has(words[0])) {
    return variants(skipParticles(words.slice(1)).slice(0, 1).concat(words.slice(0, 1)));
  }
  return variants(words.slice(0, 1));
}

function pairMatches(keyPair, candidates) {
  return candidates.some((variant) => [0, 1].every((i) => keyPair[i] === "X" || keyPair[i] === variant[i]));
}

function joinSpanish(items) {
  return items.length === 1 ? items[0] : items.slice(0, -1).join(", ") + " y " + items.at(-1);
}

function lettersWarning(key, name, paternal, maternal) {
  const all = [surnameVariants(paternal), surnameVariants(maternal), nameVariants(name)];
  const expected = [];
  const disagreeing = [];
  KEY_PARTS.forEach(([start, label], index) => {
    const keyPair = key.slice(start, start + 2);
    if (pairMatches(keyPair, all[index])) {
      expected.push(keyPair);
    } else {
      expected.push(all[index][0]);
      disagreeing.push(label);
    }
  });
  if (!disagreeing.length) return null;
  return (
    `Las letras de la clave de elector (${key.slice(0, 6)}) no coinciden con el nombre capturado ` +
    `(se esperaba ${expected.join("")}): revise ${joinSpanish(disagreeing)}.`
  );
}

function birthDateIsReal(key, today) {
  const year = Number(key.slice(6, 8));
  const century = year > today.getFullYear() % 100 ? 1900 : 2000;
  const month = Number(key.slice(8, 10));
  const day = Number(key.slice(10, 12));
  const date = new Date(Date.UTC(century + year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function entityExists(entity) {
  const number = Number(entity);
  return (number >= 1 && number <= 32) || entity === "87" || entity === "88";
}

/** Capture warnings that never block: letters that disagree with the names, a birth date that is
 * not a real date, an entity of birth outside 01..32, 87 and 88. A malformed key gives none. */
export function electorKeyWarnings(electorKey, name, paternal, maternal, today = new Date()) {
  const key = normalizeKey(electorKey);
  if (!ELECTOR_KEY_RE.test(key)) return [];
  const warnings = [];
  const letters = lettersWarning(key, name, paternal, maternal);
  if (letters) warnings.push(letters);
  if (!birthDateIsReal(key, today)) {
    warnings.push(
      `Los dígitos de fecha de nacimiento de la clave de elector (${key.slice(6, 12)}, AAMMDD) ` +
        "no forman una fecha real.",
    );
  }
  if (!entityExists(key.slice(12, 14))) {
    warnings.push(
      `La entidad de nacimiento de la clave de elector (${key.slice(12, 14)}) no existe: ` +
        "debe ser de 01 a 32, 87 u 88.",
    );
  }
  return warnings;
}
