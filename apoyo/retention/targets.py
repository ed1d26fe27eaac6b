"""What a purge removes from a process, kind by kind: the rows that still hold personal data (so
a dry run counts exactly what would go, and a purged process counts nothing), and how each kind
is emptied. What stays is what the results and the dictamen are computed from: each support's
outcome and motivo in every compulsa (SupportResult, with the citizen's section for dispersion),
the counts (AspirantResult, UnitResult), the hearing's rulings and the dictamen itself.
"""

from django.core.signing import b64_encode
from django.db import connection
from django.db.models import CharField, TextField
from django.utils.crypto import salted_hmac

from apoyo.accounts.models import Notification
from apoyo.citizens.models import CitizenReport
from apoyo.supports.models import (
    CedulaScan,
    CedulaScanPage,
    Review,
    Support,
    SupportChange,
    SupportImage,
    Upload,
    UploadIssue,
)
from apoyo.verification.models import HearingEvidence, HearingItem, HearingRequest

# The Spanish name of each kind, in the order pages and the command list them.
KINDS = {
    "supports": "Apoyos (nombre, OCR, CIC, comentarios; la clave se sustituye por su huella)",
    "support_changes": "Valores del historial de cambios de los apoyos",
    "reviews": "Comentarios de la mesa de control",
    "app_images": "Fotografías y firmas de la aplicación",
    "scans": "Escaneos de cédulas",
    "scan_pages": "Páginas de escaneos en PDF",
    "upload_files": "Archivos originales de cargas masivas",
    "upload_issues": "Filas de los reportes de errores de las cargas",
    "hearing_evidence": "Pruebas de la garantía de audiencia",
    "hearing_arguments": "Argumentos y correcciones de solicitudes de audiencia",
    "citizen_reports": "Contacto y manifestación de desconocimientos ciudadanos",
    "notices": "Detalle de los avisos a las personas aspirantes",
}
# A clave replaced by its keyed hash starts with this: no clave de elector does.
HASH_PREFIX = "#"
HASH_SALT = "apoyo.retention.elector_key"
# Fields of Support that stay: how it came and where it stands; the clave is hashed apart. Every
# other text field is personal data and emptied, also one added later (say, a search column).
SUPPORT_KEPT_TEXT = frozenset({"channel", "status", "elector_key"})
CHUNK = 5000


def elector_key_hash(elector_key):
    """The clave's keyed hash (HMAC-SHA256 under the instance's SECRET_KEY), 17 base64 characters
    after HASH_PREFIX to fit the clave's 18: the same citizen gives the same value, so duplicate
    checks still match, and no one without the secret can tell whose clave it was."""
    digest = salted_hmac(HASH_SALT, elector_key, algorithm="sha256").digest()
    return HASH_PREFIX + b64_encode(digest).decode()[:17]


def querysets(process):
    """Each kind's rows of the process that still hold personal data."""
    of_supports = {"support__aspirant__office__process": process}
    return {
        "supports": Support.objects.filter(aspirant__office__process=process).exclude(
            elector_key__startswith=HASH_PREFIX
        ),
        "support_changes": SupportChange.objects.filter(**of_supports).exclude(
            old_value="", new_value=""
        ),
        "reviews": Review.objects.filter(**of_supports).exclude(
            comment="", confirmation_comment=""
        ),
        "app_images": SupportImage.objects.filter(**of_supports),
        "scans": CedulaScan.objects.filter(cedula__aspirant__office__process=process),
        "scan_pages": CedulaScanPage.objects.filter(
            scan__cedula__aspirant__office__process=process
        ),
        "upload_files": Upload.objects.filter(aspirant__office__process=process).exclude(file=""),
        "upload_issues": UploadIssue.objects.filter(upload__aspirant__office__process=process),
        "hearing_evidence": HearingEvidence.objects.filter(
            request__aspirant__office__process=process
        ),
        "hearing_arguments": HearingRequest.objects.filter(
            aspirant__office__process=process
        ).exclude(argument=""),
        # Purged with the arguments, not counted apart.
        "hearing_changes": HearingItem.objects.filter(
            request__aspirant__office__process=process
        ).exclude(changes={}),
        "citizen_reports": CitizenReport.objects.filter(**of_supports).exclude(
            contact="", statement="", address_hash=""
        ),
        "notices": Notification.objects.filter(user__aspirant__office__process=process).exclude(
            body=""
        ),
    }


def counts(process):
    """{kind: rows that still hold personal data}, in KINDS order."""
    found = querysets(process)
    return {kind: found[kind].count() for kind in KINDS}


def file_names(found):
    """The storage names of every file the purge deletes (scans' pages included)."""
    names = []
    for kind, field in (
        ("app_images", "file"),
        ("scans", "file"),
        ("scan_pages", "file"),
        ("upload_files", "file"),
        ("hearing_evidence", "file"),
    ):
        names.extend(name for name in found[kind].values_list(field, flat=True) if name)
    return names


def empty_rows(found):
    """Empty or delete every kind's rows (the caller holds the transaction and deletes the
    files once it commits). Set-based: one UPDATE or DELETE per kind, the claves in chunks."""
    found["support_changes"].update(old_value="", new_value="")
    found["reviews"].update(comment="", confirmation_comment="")
    found["app_images"].delete()
    found["scans"].delete()  # their pages go with them
    found["upload_files"].update(file="")
    found["upload_issues"].delete()
    found["hearing_evidence"].delete()
    mask_hearing_changes(found["hearing_changes"])
    found["hearing_arguments"].update(argument="")
    found["citizen_reports"].update(contact="", statement="", address_hash="")
    found["notices"].update(body="")
    empty_supports(found["supports"])


def empty_supports(supports):
    personal = [
        field.name
        for field in Support._meta.concrete_fields
        if isinstance(field, CharField | TextField) and field.name not in SUPPORT_KEPT_TEXT
    ]
    supports.update(**dict.fromkeys(personal, ""))
    hash_elector_keys(supports)


def hash_elector_keys(supports):
    """Replace each clave by its hash, a chunk of rows at a time in id order (each chunk read
    afresh: the rows already hashed leave the queryset)."""
    table = connection.ops.quote_name(Support._meta.db_table)
    sql = f"UPDATE {table} SET elector_key = %s WHERE id = %s"  # noqa: S608 - fixed name
    while True:
        chunk = list(supports.order_by("pk").values_list("pk", "elector_key")[:CHUNK])
        if not chunk:
            return
        with connection.cursor() as cursor:
            cursor.executemany(sql, [(elector_key_hash(key), pk) for pk, key in chunk])


def mask_hearing_changes(items):
    """A hearing's corrections name the values corrected: the columns stay (the dictamen counts
    the supports corrected), the values go."""
    masked = []
    for item in items.only("pk", "changes").iterator(chunk_size=CHUNK):
        if any(values != ["", ""] for values in item.changes.values()):
            item.changes = {column: ["", ""] for column in item.changes}
            masked.append(item)
    HearingItem.objects.bulk_update(masked, ["changes"], batch_size=CHUNK)
