"""When the dictamen of an office may be generated, and generating it (DOMAIN.md step 7: the OPL's
final statement of who reaches the threshold, after the garantía de audiencia of step 6).

The figures are computed once from the office's current compulsa and stored with the ruling as
JSON, so its page shows what was ruled even after later runs; the PDF is drawn from the same
figures and stored beside them with its SHA-256.
"""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from apoyo.processes.models import Institute
from apoyo.verification import policies
from apoyo.verification.hearings import services as hearings
from apoyo.verification.models import (
    HearingRequest,
    HearingWindow,
    RequestStatus,
    Ruling,
    SupportResult,
)
from apoyo.verification.rulings.figures import ruling_figures
from apoyo.verification.rulings.pdf import ruling_pdf
from apoyo.verification.services import active_run, current_run


class RulingError(Exception):
    """The dictamen cannot be generated; the message says why, in Spanish."""


NO_HEARING = (
    "El cargo tiene {invalid} apoyos no válidos y no se ha celebrado su garantía de audiencia: "
    "ábrala, o indique el motivo por el que el dictamen se genera sin ella."
)


def held_hearing(office):
    """Whether a garantía de audiencia of the office ran to its end (not cancelled)."""
    windows = HearingWindow.objects.filter(office=office, cancelled_at__isnull=True)
    return windows.filter(end_date__lt=hearings.today()).exists()


def invalid_supports(run):
    return SupportResult.objects.filter(run=run, valid=False).count()


def current_ruling(office):
    """The office's dictamen in force: the newest one no other superseded."""
    return Ruling.objects.filter(office=office, superseded_by__isnull=True).first()


def blockers(office, run, no_hearing_reason=""):
    """Why the office's dictamen cannot be generated now, as Spanish sentences (empty: it can).

    The dictamen is the final statement, so it follows a finished compulsa, no compulsa may be
    under way, the garantía de audiencia must be over with every hearing request resolved
    (DOMAIN.md step 6: the OPL resolves each one and the result is recomputed before the
    dictamen), and the compulsa must be newer than the last upheld resolution."""
    if run is None:
        return ["El cargo aún no tiene compulsa terminada."]
    found = []
    if active_run(office) is not None:
        found.append("Hay una compulsa en curso para este cargo; espere a que termine.")
    window = hearings.unclosed_window(office)
    if window is not None:
        found.append(
            "La garantía de audiencia sigue abierta o programada hasta el "
            f"{window.end_date:%d/%m/%Y}; el dictamen se genera cuando termine."
        )
    hearing_requests = HearingRequest.objects.filter(window__office=office)
    pending = hearing_requests.filter(status=RequestStatus.FILED).count()
    upheld = [RequestStatus.UPHELD, RequestStatus.PARTIAL]
    if pending:
        found.append(f"Hay {pending} solicitudes de audiencia sin resolver.")
    last_upheld = (
        hearing_requests.filter(status__in=upheld)
        .order_by("-resolved_at")
        .values_list("resolved_at", flat=True)
        .first()
    )
    if last_upheld and run.created_at < last_upheld:
        found.append(
            "La compulsa vigente es anterior a la última solicitud declarada procedente; "
            "ejecute la compulsa de nuevo para incluir sus correcciones."
        )
    invalid = invalid_supports(run)
    if invalid and not held_hearing(office) and not no_hearing_reason.strip():
        found.append(NO_HEARING.format(invalid=invalid))
    return found


def generate_ruling(user, office, no_hearing_reason="", supersede_reason=""):
    """Generate and store the dictamen of an office from its current compulsa: only who
    policies.can_issue_ruling allows, and refused while `blockers` finds any reason. A dictamen is
    never edited: when one is in force, the new one supersedes it, with the reason."""
    if not policies.can_issue_ruling(user):
        raise RulingError("Solo un administrador del OPL puede generar el dictamen.")
    if not policies.can_issue_ruling(user, office):
        raise RulingError("El cargo no es de su entidad.")
    run = current_run(office)
    found = blockers(office, run, no_hearing_reason)
    if found:
        raise RulingError(" ".join(found))
    supersede_reason = (supersede_reason or "").strip()
    with transaction.atomic():
        in_force = (
            Ruling.objects.select_for_update()
            .filter(office=office, superseded_by__isnull=True)
            .first()
        )
        if in_force is not None and not supersede_reason:
            raise RulingError(
                f"Ya hay un dictamen vigente (N.º {in_force.pk}): indique el motivo para "
                "sustituirlo por uno nuevo; el anterior se conserva."
            )
        ruling = Ruling.objects.create(
            office=office, run=run, generated_by=user, no_hearing_reason=no_hearing_reason.strip()
        )
        if in_force is not None:
            in_force.superseded_by, in_force.supersede_reason = ruling, supersede_reason
            in_force.save(update_fields=["superseded_by", "supersede_reason"])
        store_pdf(ruling, office, in_force, supersede_reason)
    return ruling


def store_pdf(ruling, office, superseded, supersede_reason):
    ruling.figures = ruling_figures(ruling, superseded, supersede_reason)
    pdf = ruling_pdf(ruling.figures, institute_logo(office))
    ruling.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    stamp = timezone.localtime(ruling.generated_at).strftime("%Y%m%d-%H%M")
    ruling.pdf.save(f"dictamen-{office.code}-{stamp}.pdf", ContentFile(pdf), save=False)
    ruling.save()


def institute_logo(office):
    """The OPL's logo file, opened, or None."""
    institute = Institute.objects.filter(state=office.process.state_id).first()
    if institute is None or not institute.logo:
        return None
    try:
        with institute.logo.open("rb") as logo:
            return logo.read()
    except OSError:
        return None
