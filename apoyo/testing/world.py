"""A whole world for the authorization matrix (apoyo/tests/test_authorization_matrix.py): two OPL
entities with everything their pages can be about, built through the services, so every page of
the project has a real object of each side to be asked for.

- `entity(26)` is the home side: the OPL users who ask, aspirant A (who asks as the aspirant) with
  the auxiliary who asks as the auxiliary, and a sibling aspirant S of the same office, whose
  objects are "another aspirant's" to A and A's auxiliary.
- `entity(14)` (Jalisco) is the foreign side: another OPL's objects.

Each aspirant has a pre-captured cédula with a pending support and a scan, a support the compulsa
invalidates, an upload, an auxiliary with a support sent by the app (and its photos), a second
auxiliary to act on, and a hearing request with evidence; each entity has a process, an office
with a finished compulsa (its figures published), a dictamen, an open garantía de audiencia, a
holiday, a staff account to manage and a SIVOPLE consultation with an attachment, assigned to INE
areas whose answers are approved (not yet forwarded).
"""

import datetime
import itertools
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apoyo.accounts.models import Notification, Role, User
from apoyo.aspirants.models import Aspirant, Auxiliary
from apoyo.capture_app.services import capture_from_app
from apoyo.citizens.models import CitizenReport, ContactKind
from apoyo.liaison.answers import approve_answer, save_answer
from apoyo.liaison.assignments import assign
from apoyo.liaison.models import (
    Answer,
    Area,
    AreaMember,
    Assignment,
    Attachment,
    Consultation,
    DocumentType,
)
from apoyo.liaison.workflow import register
from apoyo.processes.models import Holiday, Office, Process
from apoyo.publication.services import publish_figures
from apoyo.roll.jobs import register_import
from apoyo.roll.models import RollImport
from apoyo.supports.models import Cedula, CedulaScan, Channel, Support, SupportImage, Upload
from apoyo.supports.scans import add_scan
from apoyo.testing.capture_app import capture, images, make_auxiliary
from apoyo.testing.factories import (
    CUT,
    elector_key,
    make_aspirant,
    make_cut,
    make_office,
    make_process,
    make_sections,
    make_user,
    nominal_list,
    precaptured,
    support,
)
from apoyo.testing.files import PDF
from apoyo.uploads.services import register_upload
from apoyo.verification.hearings.services import file_hearing_request, open_window
from apoyo.verification.hearings.services import today as hearing_today
from apoyo.verification.models import (
    CheckRun,
    HearingEvidence,
    HearingRequest,
    HearingWindow,
    Ruling,
)
from apoyo.verification.rulings.services import generate_ruling
from apoyo.verification.services import run_check

# Lista Nominal of the sections make_sections() creates, so the compulsa has a threshold.
NOMINAL_LIST = {1: 20, 2: 20, 3: 40, 900: 30, 901: 10}
UPLOAD_CSV = (
    b"NUMERO_REFERENCIA,NOMBRE,APELLIDO_PATERNO,APELLIDO_MATERNO,CLAVE_ELECTOR,OCR,COMENTARIO\r\n"
    b"U-1,JUAN,GARCIA,LOPEZ,GRLPJN00000026H999,0000000000999,\r\n"
)

_numbers = itertools.count(1)
# Citizens of each channel, far from the numbers other factories count from (none is in the roll).
PRECAPTURED, APP, MANUAL = 910_000, 920_000, 930_000


def pdf_file(name="documento.pdf"):
    return SimpleUploadedFile(name, PDF + f"% {next(_numbers)}\n".encode(), "application/pdf")


@dataclass
class AspirantObjects:
    """One aspirant of an office and everything of theirs a page can be about."""

    aspirant: Aspirant
    user: User
    cedula: Cedula  # pre-captured by the aspirant, with one support pending review
    support: Support
    scan: CedulaScan
    invalid: Support  # a manual support not in the roll: invalid in the compulsa
    upload: Upload
    auxiliary: Auxiliary  # sent `app_support` with the capture app
    app_support: Support
    image: SupportImage
    other_auxiliary: Auxiliary  # a second auxiliary, to deactivate, reactivate or invite
    hearing_request: HearingRequest | None = None
    evidence: HearingEvidence | None = None


@dataclass
class Entity:
    """One OPL's entity and what its pages are about."""

    state: int
    admin: User
    capturist: User
    reviewer: User
    staff: User  # an account of the entity its administrator manages (not one who asks)
    process: Process
    office: Office
    aspirants: list[AspirantObjects]
    run: CheckRun
    ruling: Ruling
    holiday: Holiday
    window: HearingWindow | None = None
    citizen_report: CitizenReport | None = None  # a citizen disowned the first aspirant's support
    consultation: Consultation | None = None
    attachment: Attachment | None = None
    # Per INE area code: the consultation's assignment to it and the area's approved answer.
    assignments: dict[str, Assignment] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)


def member(area_code, role=Role.INE_AREA, is_head=True):
    user = make_user(role)
    user.email = f"{user.username}@ine.example"
    user.save(update_fields=["email"])
    AreaMember.objects.create(area=Area.objects.get(code=area_code), user=user, is_head=is_head)
    return user


def aspirant_objects(office, number):
    """An aspirant with a portal account and their cédula, supports, scan, upload, auxiliaries."""
    today = timezone.localdate()
    aspirant = make_aspirant(office, with_user=True)
    user = aspirant.user
    (pending,) = precaptured(aspirant, [PRECAPTURED + number], reference=f"P-{number}", date=today)
    cedula = pending.cedula
    scan = add_scan(user, cedula, pdf_file("hoja.pdf"))
    invalid = support(aspirant, elector_key(MANUAL + number), day=today, reference=f"F-{number}")
    upload = register_upload(
        user,
        aspirant,
        SimpleUploadedFile("apoyos.csv", UPLOAD_CSV, "text/csv"),
        "apoyos.csv",
        channel=Channel.ASPIRANT,
    )
    auxiliary = make_auxiliary(aspirant)
    result = capture_from_app(auxiliary, capture(APP + number, with_images=False), images())
    assert result.errors == [], result.errors
    other_auxiliary = make_auxiliary(aspirant)
    return AspirantObjects(
        aspirant=aspirant,
        user=user,
        cedula=cedula,
        support=pending,
        scan=scan,
        invalid=invalid,
        upload=upload,
        auxiliary=auxiliary,
        app_support=result.support,
        image=result.support.images.order_by("pk").first(),
        other_auxiliary=other_auxiliary,
    )


def entity(state, aspirants=1, holiday=datetime.date(2030, 1, 2)):
    """An OPL entity with its staff, an office with `aspirants` aspirants, a finished compulsa, a
    dictamen, an open garantía de audiencia with one hearing request per aspirant, and a holiday."""
    today = timezone.localdate()
    make_sections(state_number=state)
    nominal_list(NOMINAL_LIST, state=state)
    make_cut()
    admin = make_user(Role.OPL_ADMIN, state_number=state)
    capturist = make_user(Role.OPL_CAPTURIST, state_number=state)
    reviewer = make_user(Role.OPL_REVIEWER, state_number=state)
    staff = make_user(Role.OPL_CAPTURIST, state_number=state, email="personal@opl.example")
    process = make_process(state_number=state)
    office = make_office(
        process,
        collection_start=today - datetime.timedelta(days=30),
        collection_end=today + datetime.timedelta(days=30),
    )
    objects = [aspirant_objects(office, next(_numbers)) for _ in range(aspirants)]
    run = run_check(office, admin)
    # The dictamen before the hearing opens: an open window blocks it.
    ruling = generate_ruling(admin, office, no_hearing_reason="Matriz de autorización.")
    # Its figures are public: the avance público of each side's office is a page to ask for.
    publish_figures(admin, run)
    window = open_window(admin, office, hearing_today())
    for item in objects:
        item.hearing_request = file_hearing_request(
            item.user, window, [item.invalid.pk], "El apoyo es válido.", [pdf_file("prueba.pdf")]
        )
        item.evidence = item.hearing_request.evidence.get()
    return Entity(
        state=state,
        admin=admin,
        capturist=capturist,
        reviewer=reviewer,
        staff=staff,
        process=process,
        office=office,
        aspirants=objects,
        run=run,
        ruling=ruling,
        holiday=Holiday.objects.create(date=holiday, name="Día inhábil", state_id=state),
        window=window,
        citizen_report=CitizenReport.objects.create(
            support=objects[0].invalid,
            contact="persona@example.org",
            contact_kind=ContactKind.EMAIL,
            statement="Yo no di este apoyo.",
        ),
    )


def consultation(place, utvopl, members):
    """Register a consultation of `place`'s OPL, assign it to the areas of `members` ({area code:
    head}) and have each area's head answer and approve (UTVOPL has not forwarded them)."""
    registered = register(
        place.capturist,
        DocumentType.objects.get(code="CONSULTA"),
        "IEE-PRESI-1-2020",
        "Consulta de la matriz de autorización",
        "Descripción de la consulta.",
        files=[pdf_file("oficio.pdf")],
    )
    areas = [Area.objects.get(code=code) for code in members]
    assign(utvopl, registered, areas)
    place.consultation = registered
    place.attachment = registered.attachments.get()
    for area in areas:
        assignment = registered.assignments.get(area=area, active=True)
        head = members[area.code]
        answer = save_answer(head, assignment, f"Respuesta de {area.code}.")
        approve_answer(head, answer)
        answer.refresh_from_db()
        place.assignments[area.code] = assignment
        place.answers[area.code] = answer
    registered.refresh_from_db()


def roll_import(user, cut_date):
    source = SimpleUploadedFile("padron.csv", b"CLAVE_ELECTOR\r\n", "text/csv")
    return register_import(user, cut_date, source, "padron.csv")


@dataclass
class World:
    home: Entity  # entity 26: the OPL users who ask, aspirant A and the sibling aspirant S
    foreign: Entity  # entity 14: another OPL
    utvopl: User
    derfe: User  # DERFE staff, head of the DERFE area
    area_user: User  # head of DEPPP
    foreign_area_user: User  # head of DEOE, which the foreign consultation is assigned to
    national_holiday: Holiday
    roll_imports: tuple[RollImport, RollImport]  # (the DERFE user's, another DERFE user's)
    cuts: tuple[datetime.date, datetime.date]
    doc_types: tuple[DocumentType, DocumentType]
    areas: tuple[Area, Area]
    notifications: dict[int, Notification] = field(default_factory=dict)  # user id -> notice

    @property
    def aspirant(self):
        return self.home.aspirants[0]

    @property
    def sibling(self):
        return self.home.aspirants[1]

    def notify(self, user):
        """A notice of `user`'s own (one per user)."""
        if user.pk not in self.notifications:
            self.notifications[user.pk] = Notification.objects.create(
                user=user, title="Aviso de prueba", url="/avisos/"
            )
        return self.notifications[user.pk]


def build_world():
    home = entity(26, aspirants=2)
    foreign = entity(14, aspirants=1)
    utvopl = make_user(Role.INE_UTVOPL)
    derfe = member("DERFE", role=Role.INE_DERFE)
    area_user = member("DEPPP")
    foreign_area_user = member("DEOE")
    consultation(home, utvopl, {"DEPPP": area_user, "DERFE": derfe})
    consultation(foreign, utvopl, {"DEOE": foreign_area_user})
    other_derfe = make_user(Role.INE_DERFE)
    second_cut = datetime.date(2020, 9, 30)
    make_cut(second_cut)
    return World(
        home=home,
        foreign=foreign,
        utvopl=utvopl,
        derfe=derfe,
        area_user=area_user,
        foreign_area_user=foreign_area_user,
        national_holiday=Holiday.objects.create(
            date=datetime.date(2030, 1, 1), name="Año nuevo", state=None
        ),
        roll_imports=(roll_import(derfe, CUT), roll_import(other_derfe, second_cut)),
        cuts=(CUT, second_cut),
        doc_types=(
            DocumentType.objects.get(code="CONSULTA"),
            DocumentType.objects.get(code="SOLICITUD"),
        ),
        areas=(Area.objects.get(code="DEPPP"), Area.objects.get(code="DEOE")),
    )
