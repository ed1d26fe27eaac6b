"""Deterministic, realistic carga masiva files: paper cédula rows of Sonora citizens.

The same (n, seed) gives the same rows in the XLSX and the CSV. Claves de elector agree with the
names (DOMAIN "Identity formats"), OCRs start with a real Sonora section, folios hold ten rows each,
and a few rows carry the errors and mesa de control codes a real file has.
"""

import csv
import datetime
import random
import unicodedata
from functools import cache
from pathlib import Path

import xlsxwriter

from apoyo.supports.rules import COLUMNS

HEADER = [*COLUMNS, "FECHA_APOYO"]
SECTIONS_FILE = Path(__file__).resolve().parent.parent / "apoyo/geo/data/sonora_secciones.csv"
PERIOD_START = datetime.date(2020, 12, 15)
PERIOD_END = datetime.date(2021, 1, 23)
BIRTH_FIRST = datetime.date(1940, 1, 1)
BIRTH_LAST = datetime.date(2002, 8, 31)  # of age at the roll cut
ROWS_PER_FOLIO = 10
ERROR_SHARE = 0.03
INCONSISTENCY_SHARE = 0.02
INCONSISTENCY_CODES = ["FOTOCOPIA", "SIN_FIRMA", "ILEGIBLE"]
INCONSISTENCY_COMMENT = "Detectada en la revisión de la cédula."

MALE_NAMES = [
    "JOSÉ LUIS", "JUAN", "FRANCISCO", "JESÚS", "MIGUEL ÁNGEL", "ALEJANDRO", "CARLOS", "JORGE",
    "RAMÓN", "MANUEL", "FERNANDO", "RICARDO", "ROBERTO", "ÓSCAR", "SERGIO", "LUIS ALBERTO",
    "JOSÉ", "MARIO", "ARTURO", "HÉCTOR", "JAVIER", "RAÚL", "JULIO CÉSAR", "EFRAÍN", "IÑAKI",
]  # fmt: skip
FEMALE_NAMES = [
    "MARÍA GUADALUPE", "GUADALUPE", "MARÍA", "JUANA", "ROSA MARÍA", "VERÓNICA", "PATRICIA",
    "ALEJANDRA", "LETICIA", "MARTHA", "ELIZABETH", "MARÍA DE LOS ÁNGELES", "ANA LAURA",
    "GABRIELA", "CLAUDIA", "NOEMÍ", "BRENDA", "MARÍA DEL CARMEN", "ISABEL", "ITZEL", "YOLANDA",
    "MÓNICA", "SOFÍA", "XIMENA", "BEGOÑA",
]  # fmt: skip
SURNAMES = [
    "GARCÍA", "HERNÁNDEZ", "MARTÍNEZ", "LÓPEZ", "GONZÁLEZ", "RODRÍGUEZ", "PÉREZ", "SÁNCHEZ",
    "RAMÍREZ", "CRUZ", "FLORES", "GÓMEZ", "MORALES", "VÁZQUEZ", "REYES", "JIMÉNEZ", "TORRES",
    "DÍAZ", "RUIZ", "MENDOZA", "AGUILAR", "ORTIZ", "MORENO", "CASTILLO", "ROMERO", "ÁLVAREZ",
    "VALENZUELA", "ENCINAS", "MUÑOZ", "NÚÑEZ", "IBARRA", "QUIJADA", "PEÑA", "OCHOA",
    "DE LA CRUZ", "DEL CASTILLO", "YÁÑEZ", "ACUÑA", "BÓRQUEZ", "DUARTE", "SOTO", "VILLA",
]  # fmt: skip

PARTICLES = frozenset({"DE", "DEL", "LA", "LAS", "LOS", "Y"})
COMPOUND_PREFIXES = frozenset({"MARIA", "MA", "JOSE", "J"})
VOWELS = frozenset("AEIOU")


# Claves de elector --------------------------------------------------------------------------------


def plain_words(text):
    """Upper-case words without accents, Ñ written X (as in the clave de elector)."""
    text = text.upper().replace("Ñ", "X")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).split()


def word_letters(word):
    """First letter and first internal consonant, X when there is none."""
    consonant = next((c for c in word[1:] if c.isalpha() and c not in VOWELS), "X")
    return word[0] + consonant


def after_particles(words):
    """The words after leading particles (DE LA CRUZ -> CRUZ); all of them if nothing is left."""
    index = 0
    while index < len(words) and words[index] in PARTICLES:
        index += 1
    return words[index:] or words


@cache
def surname_letters(surname):
    words = plain_words(surname)
    return word_letters(after_particles(words)[0]) if words else "XX"


@cache
def name_letters(name):
    words = plain_words(name)
    if len(words) > 1 and words[0] in COMPOUND_PREFIXES:
        words = after_particles(words[1:])
    return word_letters(words[0])


def elector_key(rng, name, paternal, maternal, sex):
    birth = BIRTH_FIRST + datetime.timedelta(days=rng.randrange((BIRTH_LAST - BIRTH_FIRST).days))
    letters = surname_letters(paternal) + surname_letters(maternal) + name_letters(name)
    return f"{letters}{birth:%y%m%d}26{sex}{rng.randrange(1000):03d}"


# Rows ---------------------------------------------------------------------------------------------


@cache
def sonora_sections():
    with open(SECTIONS_FILE, encoding="utf-8", newline="") as source:
        return [int(row["SECCION"]) for row in csv.DictReader(source)]


def citizen(rng):
    """(name, paternal, maternal, clave, ocr) of a plausible Sonora voter."""
    sex = rng.choice("HM")
    name = rng.choice(MALE_NAMES if sex == "H" else FEMALE_NAMES)
    paternal = rng.choice(SURNAMES)
    maternal = rng.choice(SURNAMES) if rng.random() > 0.01 else ""
    key = elector_key(rng, name, paternal, maternal, sex)
    ocr = f"{rng.choice(sonora_sections()):04d}{rng.randrange(10**9):09d}"
    if rng.random() < 0.05:
        name, paternal, maternal = name.title(), paternal.title(), maternal.title()
    return [name, paternal, maternal, key, ocr]


def spoil(rng, person):
    """One realistic capture error: a letter O for a zero in the clave, a short OCR, no name."""
    kind = rng.randrange(3)
    if kind == 0:
        key = person[3]
        person[3] = key[:8] + "O" + key[9:]
    elif kind == 1:
        person[4] = person[4][:12]
    else:
        person[0] = ""


def support_date(rng):
    return PERIOD_START + datetime.timedelta(
        days=rng.randrange((PERIOD_END - PERIOD_START).days + 1)
    )


def cedula_rows(n, seed):
    """n rows: [folio, name, paternal, maternal, clave, ocr, code, comment, date]."""
    rng = random.Random(seed)
    date = PERIOD_START
    for index in range(n):
        if index % ROWS_PER_FOLIO == 0:
            date = support_date(rng)
        person = citizen(rng)
        if rng.random() < ERROR_SHARE:
            spoil(rng, person)
        code, comment = "", ""
        if rng.random() < INCONSISTENCY_SHARE:
            code, comment = rng.choice(INCONSISTENCY_CODES), INCONSISTENCY_COMMENT
        folio = f"C-{index // ROWS_PER_FOLIO + 1:06d}"
        yield [folio, *person, code, comment, date]


# Files --------------------------------------------------------------------------------------------


def write_xlsx(path, n, seed):
    """An XLSX like Excel saves: text cells for folio, names, clave and OCR; a real date cell."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Apoyos")
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for column, title in enumerate(HEADER):
        sheet.write_string(0, column, title)
    write_string = sheet.write_string
    for number, row in enumerate(cedula_rows(n, seed), start=1):
        *texts, date = row
        for column, text in enumerate(texts):
            write_string(number, column, text)
        sheet.write_datetime(number, len(texts), date, date_format)
    workbook.close()


def write_csv(path, n, seed):
    """A CSV as Excel saves «CSV UTF-8»: BOM, commas, dates as DD/MM/YYYY."""
    with open(path, "w", encoding="utf-8-sig", newline="") as target:
        writer = csv.writer(target)
        writer.writerow(HEADER)
        for row in cedula_rows(n, seed):
            row[-1] = row[-1].strftime("%d/%m/%Y")
            writer.writerow(row)
