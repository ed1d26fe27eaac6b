"""The traditional route for an OPL without the roll (CONTRACT export_for_ine / import_ine_results;
DOMAIN.md step 3: both routes must exist): the OPL sends INE its supports, INE answers with each
one's situación registral, and that answer takes the place of the roll lookup; cross-checks and
counts are then recomputed as usual (LGIPE 385)."""

from django.db import transaction

from apoyo.core.identity import normalize_key, normalize_text
from apoyo.core.tabular import FileRejected, open_table
from apoyo.processes.models import Office
from apoyo.roll.models import RegistryStatus, RemovalCause
from apoyo.supports.models import Support
from apoyo.verification.models import IneAnswer
from apoyo.verification.services import CheckError, run_check, supports_of

EXPORT_HEADER = [
    "ID",
    "NUMERO_REFERENCIA",
    "NOMBRE",
    "APELLIDO_PATERNO",
    "APELLIDO_MATERNO",
    "CLAVE_ELECTOR",
    "OCR",
]
ANSWER_COLUMNS = ["ID", "SITUACION_REGISTRAL", "CAUSA_BAJA", "ENTIDAD", "SECCION"]


def export_rows(office):
    """Every support the compulsa of the office would look at, for INE to check."""
    rows = (
        supports_of(office)
        .order_by("id")
        .values_list(
            "id",
            "cedula__reference",
            "name",
            "paternal_surname",
            "maternal_surname",
            "elector_key",
            "ocr",
        )
    )
    for row in rows.iterator(chunk_size=10000):
        yield [row[0], row[1] or "", *row[2:]]


def parse_int(value):
    text = normalize_text(value)
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isdigit() else None


def read_answers(path):
    """Validate INE's answer file: returns ({support id: answer fields}, [(row, column, reason)])."""
    table = open_table(path, required=ANSWER_COLUMNS)
    answers, rejected = {}, []
    for row_number, values in table.rows():
        raw = dict(zip(table.fields, values, strict=True))
        support_id = parse_int(raw["ID"])
        status = normalize_key(raw["SITUACION_REGISTRAL"]).replace("-", "_")
        cause = normalize_key(raw["CAUSA_BAJA"])
        state, section = parse_int(raw["ENTIDAD"]), parse_int(raw["SECCION"])
        problem = answer_problem(support_id, status, cause, state, section)
        if problem:
            rejected.append((row_number, *problem))
            continue
        if support_id in answers:
            rejected.append((row_number, "ID", f"El apoyo {support_id} aparece más de una vez."))
            continue
        answers[support_id] = {
            "registry_status": status,
            "removal_cause": cause if status == RegistryStatus.BAJA else "",
            "state_number": state,
            "section_number": section,
        }
    return answers, rejected


def answer_problem(support_id, status, cause, state, section):
    if support_id is None:
        return "ID", "El ID debe ser el número de apoyo que exportó el sistema."
    if status not in RegistryStatus.values:
        return "SITUACION_REGISTRAL", f"Situación registral desconocida «{status}»."
    if status == RegistryStatus.BAJA and cause not in RemovalCause.values:
        return "CAUSA_BAJA", f"Causa de baja desconocida «{cause}»."
    found = status != RegistryStatus.NO_ENCONTRADO
    if found and (state is None or not 1 <= state <= 32):
        return "ENTIDAD", "La entidad debe ser un número de 1 a 32."
    if found and section is None:
        return "SECCION", "La sección debe ser un número."
    return None


def import_ine_results(path, user=None):
    """Store INE's answers (replacing earlier ones for the same supports) and recompute the
    results of every office they touch. Returns counts, rejected rows and the new runs."""
    answers, rejected = read_answers(path)
    known = dict(
        Support.objects.filter(pk__in=list(answers)).values_list("id", "aspirant__office_id")
    )
    for support_id in sorted(set(answers) - set(known)):
        rejected.append((None, "ID", f"No existe el apoyo {support_id}."))
        del answers[support_id]
    with transaction.atomic():
        IneAnswer.objects.filter(support_id__in=list(answers)).delete()
        IneAnswer.objects.bulk_create(
            (
                IneAnswer(support_id=pk, imported_by=user, **fields)
                for pk, fields in answers.items()
            ),
            batch_size=5000,
        )
    offices = sorted(set(known.values()))
    runs = [recompute(office_id, user) for office_id in offices]
    return {"imported": len(answers), "rejected": rejected, "runs": runs}


def recompute(office_id, user):
    return run_check(Office.objects.select_related("process").get(pk=office_id), user)


def foreign_supports(user, path):
    """How many IDs of the file are supports outside what the user may see (another entity's);
    read_answers raises FileRejected for an unusable file."""
    answers, _ = read_answers(path)
    ids = list(answers)
    existing = Support.objects.filter(pk__in=ids).count()
    visible = Support.objects.visible_to(user).filter(pk__in=ids).count()
    return existing - visible


def import_answer_file(user, path):
    """Import INE's answers uploaded by an OPL user; returns (outcome, error message in Spanish).
    A file that names another entity's supports is refused whole: an OPL answers only for its
    own aspirants."""
    try:
        foreign = foreign_supports(user, path)
        if foreign:
            return None, (
                f"El archivo incluye {foreign} apoyos que no son de su entidad; no se importó nada."
            )
        return import_ine_results(path, user), None
    except FileRejected as error:
        return None, str(error)
    except CheckError as error:
        return None, f"Las respuestas se guardaron, pero no se pudo recalcular: {error}"


def answer_counts(office):
    """The office's supports the compulsa looks at, and how many already have INE's answer."""
    supports = supports_of(office)
    answered = IneAnswer.objects.filter(support__in=supports.values("pk"))
    return {"supports": supports.count(), "answered": answered.count()}
