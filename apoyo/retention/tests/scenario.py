"""A process at the end of its life for the purge tests: its office counted, heard and ruled, with
personal data of every kind the purge removes (files on disk included), and another process of
the same entity whose data must stay."""

import datetime
import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone
from reportlab.pdfgen import canvas

from apoyo.accounts.models import Notification
from apoyo.citizens.models import CitizenReport
from apoyo.processes.models import Process
from apoyo.supports.models import Review, Support, SupportChange, SupportImage, UploadIssue
from apoyo.supports.scans import add_scan
from apoyo.testing.factories import elector_key, make_aspirant, make_office, make_process, support
from apoyo.testing.files import png, uploaded
from apoyo.uploads.services import register_upload
from apoyo.verification.hearings import resolution
from apoyo.verification.hearings import services as hearings
from apoyo.verification.models import RequestStatus, Ruling
from apoyo.verification.rulings.services import generate_ruling
from apoyo.verification.tests.hearing_data import PDF, build_hearing, opl, upload

RETENTION_DAYS = 30


@dataclass
class Ended:
    process: Process
    h: object  # hearing_data.Hearing
    admin: object
    ruling: Ruling
    final_on: datetime.date
    other: Support  # a support of another process

    @property
    def purge_day(self):
        return self.final_on + datetime.timedelta(days=RETENTION_DAYS)


def hold_hearing(h, admin, monkeypatch, capture):
    """María's photocopy lifted with a correction (evidence filed), Pedro's request rejected."""
    window = hearings.open_window(admin, h.office, hearings.today())
    evidence = [upload("prueba.pdf", PDF, "application/pdf")]
    upheld = hearings.file_hearing_request(
        h.maria.user, window, [h.photocopy.pk], "Es original, lo firmó JUAN GARCIA.", evidence
    )
    rejected = hearings.file_hearing_request(h.pedro.user, window, [h.pedros.pk], "Sí firmó.")
    corrected = {h.photocopy.pk: {"TIPO_INCONSISTENCIA": ""}}
    with capture(execute=True):
        resolution.resolve_hearing_request(
            admin,
            upheld,
            resolution.same_ruling(upheld, RequestStatus.UPHELD, "Se cotejó.", corrected),
        )
        resolution.resolve_hearing_request(
            admin, rejected, resolution.same_ruling(rejected, RequestStatus.REJECTED, "No.")
        )
    monkeypatch.setattr(hearings, "today", lambda: window.end_date + datetime.timedelta(days=1))


def one_page_pdf():
    buffer = io.BytesIO()
    document = canvas.Canvas(buffer, pagesize=(300, 200))
    document.drawString(20, 100, "JUAN GARCIA LOPEZ")
    document.showPage()
    document.save()
    return buffer.getvalue()


def add_personal_files(h, admin):
    """A scan, the app's photo, a carga masiva with a rejected row, a review comment, a citizen's
    report and a notice: one of every kind the purge empties."""
    add_scan(admin, h.valid.cedula, uploaded("cedula.pdf", one_page_pdf()))
    picture = png(colour=(1, 2, 3))
    SupportImage.objects.create(
        support=h.valid,
        kind="front",
        file=ContentFile(picture, name="frente.png"),
        content_kind="png",
        size=len(picture),
        sha256="0" * 64,
    )
    csv = b"NUMERO_REFERENCIA,NOMBRE\nF-9,JUAN\n"
    carga = register_upload(admin, h.maria, io.BytesIO(csv), "apoyos.csv")
    UploadIssue.objects.create(
        upload=carga,
        kind="rejected",
        row_number=2,
        reason="Falta la clave",
        values={"NOMBRE": "JUAN"},
    )
    SupportChange.objects.create(
        support=h.valid, user=admin, action="corrected", field="NOMBRE", old_value="JUAN",
        new_value="JUANA",
    )  # fmt: skip
    Review.objects.create(
        support=h.pedros, reviewer=admin, outcome="inconsistency", comment="Firma de JUAN distinta"
    )
    CitizenReport.objects.create(
        support=h.missing, contact="juan@example.org", contact_kind="email", statement="No fui yo."
    )
    Notification.objects.create(
        user=h.maria.user, title="Apoyos rechazados", body=f"- {h.valid.elector_key}: FOTOCOPIA"
    )


def build_ended(monkeypatch, capture):
    h = build_hearing()
    admin = opl()
    hold_hearing(h, admin, monkeypatch, capture)
    add_personal_files(h, admin)
    ruling = generate_ruling(admin, h.office)
    # Ruled and final long enough ago that the retention period ends today.
    final_on = timezone.localdate() - datetime.timedelta(days=RETENTION_DAYS)
    Ruling.objects.filter(pk=ruling.pk).update(
        generated_at=timezone.now() - datetime.timedelta(days=RETENTION_DAYS + 1)
    )
    ruling.refresh_from_db()
    process = h.office.process
    process.rulings_final_on = final_on
    process.retention_days = RETENTION_DAYS
    process.save()
    other_office = make_office(process=make_process(code="OTRO-PROCESO"))
    other = support(make_aspirant(other_office), elector_key(), reference="Z-1")
    return Ended(process, h, admin, ruling, process.rulings_final_on, other)
