"""Identity formats of a citizen: the clave de elector, the OCR and CIC of the credencial, and how
names are normalized and compared with the clave's letters (DOMAIN.md "Identity formats"; CONTRACT.md
"Running commands": text normalization). Pure Python, no database access, shared by the row rules
of every capture channel, the roll import and the searches.
"""

import functools
import re
import time
import unicodedata
from datetime import date, datetime, timedelta

from apoyo.core.cells import real_date

ELECTOR_KEY_RE = re.compile(r"[A-Z]{6}[0-9]{8}[HM][0-9]{3}")
OCR_RE = re.compile(r"[0-9]{13}")
CIC_RE = re.compile(r"[0-9]{9}")

_NON_LETTER_RE = re.compile(r"[^A-Z]+")

# CONTRACT "Settled cases": the dashes U+2010 to U+2015 are hyphens (dropped in claves and OCR).
_UNICODE_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015", "-"))
_ACCENT_TABLE_END = 0x1F00  # Latin-1, Latin Extended-A and -B, Latin Extended Additional.
_SURNAME_PARTICLES = frozenset(
    {"DE", "DEL", "LA", "LAS", "LOS", "Y", "MC", "MAC", "VAN", "VON", "DA", "DI"}
)
_COMPOUND_NAME_PREFIXES = frozenset({"MARIA", "MA", "JOSE", "J"})
_CONSONANTS = frozenset("BCDFGHJKLMNPQRSTVWXYZ")
_VALID_ENTITIES = frozenset([f"{number:02d}" for number in range(1, 33)] + ["87", "88"])
_KEY_PARTS = (
    (0, "el apellido paterno"),
    (2, "el apellido materno"),
    (4, "el nombre"),
)


def accented_letters():
    """{accented Latin letter: its plain capital}, Ñ and ñ excepted (CONTRACT: keep Ñ). Shared by
    the row rules here and the roll's polars normalization (roll.frames)."""
    letters = {}
    for code in range(0xC0, _ACCENT_TABLE_END):
        char = chr(code)
        parts = unicodedata.normalize("NFD", char)
        base, marks = parts[0], parts[1:]
        plain_base = base.isascii() and base.isalpha()
        if char not in "Ññ" and marks and plain_base and all(map(unicodedata.combining, marks)):
            letters[char] = base.upper()
    return letters


def _build_accent_table() -> list[str | None]:
    """accented_letters as a list indexed by code point: faster for str.translate than a dict;
    code points past its end raise IndexError, which str.translate reads as "leave unchanged"."""
    table: list[str | None] = [chr(code) for code in range(_ACCENT_TABLE_END)]
    for char, plain in accented_letters().items():
        table[ord(char)] = plain
    for code in range(0x300, 0x370):
        table[code] = None  # Stray combining accents left after NFC.
    return table


_ACCENT_TABLE = _build_accent_table()


def normalize_text(value: object) -> str:
    """Trim, collapse inner whitespace, upper case, drop accents but keep Ñ (CONTRACT "Running
    commands"). None becomes ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _normalize_repeated(value)
    return _normalize(str(value))


def _normalize(text: str) -> str:
    if text.isascii():
        return " ".join(text.upper().split())
    text = unicodedata.normalize("NFC", text).upper().translate(_ACCENT_TABLE)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text).translate(_UNICODE_DASHES)
    return " ".join(text.split())


# Names, folios and dates repeat across the rows of a file; keys and OCRs do not (so they skip it).
_normalize_repeated = functools.lru_cache(maxsize=65536)(_normalize)


def normalize_key(value: object) -> str:
    """normalize_text, then drop inner spaces and hyphens, as for the clave de elector and the OCR
    (CONTRACT "Running commands")."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return _normalize(text).replace(" ", "").replace("-", "")


def is_valid_elector_key(key: str) -> bool:
    """An already normalized clave de elector has the shape [A-Z]{6}[0-9]{8}[HM][0-9]{3}
    (DOMAIN "Identity formats")."""
    return ELECTOR_KEY_RE.fullmatch(key) is not None


def is_valid_ocr(ocr: str) -> bool:
    """An already normalized OCR is exactly 13 ASCII digits (DOMAIN "Identity formats")."""
    return OCR_RE.fullmatch(ocr) is not None


# Capture warnings: the clave against the names -----------------------------------------------------


# A carga masiva of 100,000 rows holds some 20,000 distinct birth dates. Both centuries are cached,
# and the one to use chosen outside the cache: it depends on today, and the process may outlive it.
@functools.lru_cache(maxsize=65536)
def _birth_dates(digits: str) -> tuple[date | None, date | None]:
    """The YYMMDD digits as a date of the 1900s and of the 2000s (None where not a real date)."""
    year, month, day = int(digits[:2]), digits[2:4], digits[4:6]
    return real_date(str(1900 + year), month, day), real_date(str(2000 + year), month, day)


class _TwoDigitYear:
    """This year's last two digits ("26"), read from the clock again after each local midnight: a
    carga masiva asks once per row, and date.today() costs more than the rest of the check."""

    def __init__(self):
        self.value, self.until = "", float("-inf")

    def __call__(self) -> str:
        if time.time() >= self.until:
            today = date.today()
            self.value = f"{today.year % 100:02d}"
            self.until = datetime.combine(
                today + timedelta(days=1), datetime.min.time()
            ).timestamp()
        return self.value


_two_digit_year = _TwoDigitYear()


def _birth_date_of_digits(digits: str) -> date | None:
    # Two digits compare as their numbers do: a year not above this one is of the 2000s.
    return _birth_dates(digits)[digits[:2] <= _two_digit_year()]


def _well_formed_key(value: object) -> str | None:
    """The normalised clave when it is well formed, else None. A str already of the clave's shape
    holds nothing normalize_key would change (a carga masiva passes its keys already normalised),
    so it is taken as it is."""
    if type(value) is str and ELECTOR_KEY_RE.fullmatch(value) is not None:
        return value
    key = normalize_key(value)
    return key if ELECTOR_KEY_RE.fullmatch(key) is not None else None


def elector_key_birth_date(elector_key: object) -> date | None:
    """The birth date in positions 7-12 (YYMMDD) of a clave de elector (DOMAIN "Identity formats"),
    or None when the key is malformed or the digits are not a real date. A two-digit year above the
    current one is of the 1900s, otherwise of the 2000s."""
    key = _well_formed_key(elector_key)
    if key is None:
        return None
    return _birth_date_of_digits(key[6:12])


def _clean_words(text: str) -> list[str]:
    """The words of a normalized name with Ñ as X and anything but A-Z dropped (MA. -> MA)."""
    words = []
    for word in normalize_text(text).replace("Ñ", "X").split():
        letters = _NON_LETTER_RE.sub("", word)
        if letters:
            words.append(letters)
    return words


def _skip_particles(words: list[str]) -> list[str]:
    """The words after leading particles such as DE LA or VON (DE LA CRUZ -> CRUZ)."""
    index = 0
    while index < len(words) and words[index] in _SURNAME_PARTICLES:
        index += 1
    return words[index:]


def _word_letters(word: str) -> str:
    """First letter and first internal consonant of a word, X when there is none (DOMAIN
    "Identity formats")."""
    consonant = next((letter for letter in word[1:] if letter in _CONSONANTS), "X")
    return word[0] + consonant


def _variants(words: list[str]) -> list[str]:
    """The letter pairs of the candidate words, the first one preferred, without repetitions."""
    pairs = [_word_letters(word) for word in words]
    return list(dict.fromkeys(pairs)) or ["XX"]


# Surnames and names repeat across a file's rows (GARCIA, MARIA...): each is worked out once.
@functools.lru_cache(maxsize=65536)
def _surname_variants(surname: str) -> list[str]:
    """Accepted letter pairs of a surname: after leading particles or of its first word; XX for a
    missing surname."""
    words = _clean_words(surname)
    rest = _skip_particles(words)
    return _variants(rest[:1] + words[:1])


@functools.lru_cache(maxsize=65536)
def _name_variants(name: str) -> list[str]:
    """Accepted letter pairs of a first name: for MARIA, MA., JOSE or J. followed by another name,
    that second name (after particles) or the first one."""
    words = _clean_words(name)
    if len(words) > 1 and words[0] in _COMPOUND_NAME_PREFIXES:
        return _variants(_skip_particles(words[1:])[:1] + words[:1])
    return _variants(words[:1])


def _matching_variant(key_pair: str, variants: list[str]) -> str | None:
    """The first variant a key's letter pair agrees with letter by letter, an X in the key agreeing
    with anything (INE's placeholder); None when none does."""
    for variant in variants:
        if all(k == "X" or k == v for k, v in zip(key_pair, variant, strict=True)):
            return variant
    return None


def _join_spanish(items: list[str]) -> str:
    """'a', 'a y b', 'a, b y c'."""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " y " + items[-1]


# Each letter pair of the key against its one name part: a carga masiva repeats these few
# thousand pairs across its rows, while whole (letters, three names) combinations rarely repeat.
@functools.lru_cache(maxsize=65536)
def _surname_agrees(pair: str, surname: str) -> bool:
    return _matching_variant(pair, _surname_variants(surname)) is not None


@functools.lru_cache(maxsize=65536)
def _name_agrees(pair: str, name: str) -> bool:
    return _matching_variant(pair, _name_variants(name)) is not None


def _letters_agree(letters: str, name: str, paternal: str, maternal: str) -> bool:
    """Whether _letters_warning has nothing to say, from the cached pairs (order of _KEY_PARTS)."""
    return (
        _surname_agrees(letters[0:2], paternal)
        and _surname_agrees(letters[2:4], maternal)
        and _name_agrees(letters[4:6], name)
    )


def _letters_warning(letters: str, name: str, paternal: str, maternal: str) -> str | None:
    """Warn when the six letters of the key do not agree with the captured names (DOMAIN
    "Identity formats": warn, do not reject)."""
    all_variants = (_surname_variants(paternal), _surname_variants(maternal), _name_variants(name))
    expected = []
    disagreeing = []
    for (start, label), variants in zip(_KEY_PARTS, all_variants, strict=True):
        # The letters the names imply, never the key's own X placeholders.
        matching = _matching_variant(letters[start : start + 2], variants)
        expected.append(matching or variants[0])
        if matching is None:
            disagreeing.append(label)
    if not disagreeing:
        return None
    return (
        f"Las letras de la clave de elector ({letters}) no coinciden con el nombre capturado "
        f"(se esperaba {''.join(expected)}): revise {_join_spanish(disagreeing)}."
    )


def elector_key_warnings(
    elector_key: str, name: str, paternal_surname: str, maternal_surname: str
) -> list[str]:
    """Capture warnings that never block (DOMAIN "Identity formats"): letters that disagree with the
    names, a birth date that is not a real date, an entity of birth outside 01..32, 87 and 88. A
    malformed key gives no warnings: validate_support_row already rejects it."""
    key = _well_formed_key(elector_key)
    if key is None:
        return []
    warnings = []
    if not _letters_agree(key[:6], name, paternal_surname, maternal_surname):
        warnings.append(_letters_warning(key[:6], name, paternal_surname, maternal_surname))
    # The key is already normalised and well formed: its digits are read directly.
    if _birth_date_of_digits(key[6:12]) is None:
        warnings.append(
            f"Los dígitos de fecha de nacimiento de la clave de elector ({key[6:12]}, AAMMDD) "
            "no forman una fecha real."
        )
    if key[12:14] not in _VALID_ENTITIES:
        warnings.append(
            f"La entidad de nacimiento de la clave de elector ({key[12:14]}) no existe: "
            "debe ser de 01 a 32, 87 u 88."
        )
    return warnings
