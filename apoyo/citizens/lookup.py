"""The consulta ciudadana's one question to the database, and the keyed hashes that stand for a
clave de elector or an address wherever they are kept (bitácora, cache, reports).

Issue 17: the answer must never reveal whether a clave exists in the roll or in any support when
the OCR or CIC does not match. So the lookup is one query keyed on the clave *and* the OCR/CIC,
whatever was typed: there is no query on the clave alone, nothing runs before or after it that
depends on whether the clave is stored, and a clave with a wrong OCR costs the same work as an
unknown one (one index probe per aspirant that finds no row to return).
"""

from django.db.models import Q
from django.utils.crypto import salted_hmac

from apoyo.aspirants.models import Aspirant
from apoyo.supports.models import Status, Support

# What the answer shows of each support, and nothing more (issue 17: aspirant, office, channel and
# date): the citizen's names and OCR are never even read.
ANSWER_FIELDS = (
    "id",
    "channel",
    "support_date",
    "date_written",
    "status",
    "aspirant__name",
    "aspirant__paternal_surname",
    "aspirant__maternal_surname",
    "aspirant__office__name",
    "aspirant__office__process__name",
    "citizen_report__id",
    "citizen_report__created_at",
)


def key_digest(elector_key):
    """A keyed SHA-256 (HMAC with the SECRET_KEY) of a normalized clave de elector, in hex.

    The bitácora and the cache keep this instead of the clave: an administrator who has a clave
    can recompute it to find its queries, but the log alone gives no clave back, and without the
    key nobody can test guessed claves against it (a clave's letters and birth date are guessable;
    a plain hash would not protect it)."""
    return salted_hmac("apoyo.citizens.elector_key", elector_key, algorithm="sha256").hexdigest()


def address_digest(address):
    """A keyed SHA-256 of a client address (see key_digest), for the cache and the reports."""
    return salted_hmac("apoyo.citizens.address", address or "", algorithm="sha256").hexdigest()


def matching_supports(elector_key, number):
    """The non-withdrawn supports whose clave de elector is `elector_key` and whose OCR or CIC is
    `number` (both normalized; `number` is 13 or 9 digits, so it can only match its own column),
    with the aspirant, office, process and any citizen report, in one query.

    Supports are indexed by (aspirant, clave) only (a clave index would slow the carga masiva):
    filtering on every aspirant lets the database probe that index once per aspirant instead of
    reading the whole table, whether or not the clave is stored."""
    return list(
        Support.objects.filter(aspirant__in=Aspirant.objects.values("pk"), elector_key=elector_key)
        .filter(Q(ocr=number) | Q(cic=number))
        .exclude(status=Status.WITHDRAWN)
        .select_related("aspirant__office__process", "citizen_report")
        .only(*ANSWER_FIELDS)
        .order_by("support_date", "id")
    )
