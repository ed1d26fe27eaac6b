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

from apoyo.verification import policies
from apoyo.verification.hearings import services as hearings
from apoyo.verification.models import HearingRequest, RequestStatus, Ruling
from apoyo.verification.rulings.figures import ruling_figures
from apoyo.verification.rulings.pdf import ruling_pdf
from apoyo.verification.services import active_run, current_run


class RulingError(Exception):
    """The dictamen cannot be generated; the message says why, in Spanish."""


def blockers(office, run):
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
    if pending:
        found.append(f"Hay {pending} solicitudes de audiencia sin resolver.")
    last_upheld = (
        hearing_requests.filter(status=RequestStatus.UPHELD)
        .order_by("-resolved_at")
        .values_list("resolved_at", flat=True)
        .first()
    )
    if last_upheld and run.created_at < last_upheld:
        found.append(
            "La compulsa vigente es anterior a la última solicitud declarada procedente; "
            "ejecute la compulsa de nuevo para incluir sus correcciones."
        )
    return found


def generate_ruling(user, office):
    """Generate and store the dictamen of an office from its current compulsa: only who
    policies.can_issue_ruling allows, and refused while `blockers` finds any reason."""
    if not policies.can_issue_ruling(user):
        raise RulingError("Solo un administrador del OPL puede generar el dictamen.")
    if not policies.can_issue_ruling(user, office):
        raise RulingError("El cargo no es de su entidad.")
    run = current_run(office)
    found = blockers(office, run)
    if found:
        raise RulingError(" ".join(found))
    with transaction.atomic():
        ruling = Ruling.objects.create(office=office, run=run, generated_by=user)
        ruling.figures = ruling_figures(ruling)
        pdf = ruling_pdf(ruling.figures)
        ruling.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        stamp = timezone.localtime(ruling.generated_at).strftime("%Y%m%d-%H%M")
        ruling.pdf.save(f"dictamen-{office.code}-{stamp}.pdf", ContentFile(pdf), save=False)
        ruling.save()
    return ruling
