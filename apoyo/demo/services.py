"""The demo data set of `make run`: Sonora's geography, the 2020-2021 process, users and supports."""

import csv
import datetime
import io
import random
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas

from apoyo.accounts.models import Role, User
from apoyo.aspirants.models import Aspirant, Auxiliary
from apoyo.aspirants.setup import load_setup_file
from apoyo.geo.models import Section
from apoyo.geo.services import SONORA_CATALOGUE, import_geo
from apoyo.liaison.demo import load_sivople_demo
from apoyo.processes.models import Office, Process
from apoyo.review import services as review
from apoyo.roll.frames import COLUMNS as ROLL_COLUMNS
from apoyo.roll.services import import_ln_stats, import_roll
from apoyo.supports.models import Channel, Support, inconsistencies_for_state
from apoyo.supports.scans import add_scan
from apoyo.supports.services import capture_support, open_cedula, withdraw_support
from apoyo.verification.services import run_check

SETUP_FILE = Path(__file__).parent / "data" / "setup.json"
SONORA_NOMINAL_LIST = (
    Path(__file__).parent.parent / "geo" / "data" / "sonora_lista_nominal_2018.csv"
)
DEMO_PASSWORD = "Sonora.Demo.2021"  # noqa: S105 - a published demo credential, never production

DEMO_USERS = [
    ("opl.admin", Role.OPL_ADMIN, "Laura", "Administradora OPL"),
    ("opl.captura", Role.OPL_CAPTURIST, "Carlos", "Capturista OPL"),
    ("opl.revision", Role.OPL_REVIEWER, "Rosa", "Revisora OPL"),
    ("opl.revision2", Role.OPL_REVIEWER, "Tomás", "Segundo revisor OPL"),
    ("aspirante.a01", Role.ASPIRANT, "María Elena", "Valenzuela Ochoa"),
    ("aspirante.a02", Role.ASPIRANT, "Jesús Alberto", "Muñoz Romero"),
    ("aspirante.a03", Role.ASPIRANT, "Ana Lucía", "Esquer Durazo"),
    ("aspirante.a04", Role.ASPIRANT, "Ramón", "De la O Ibarra"),
    ("aspirante.a05", Role.ASPIRANT, "Lucía", "Moreno Bojórquez"),
    ("auxiliar.a05", Role.AUXILIARY, "Pedro", "Auxiliar de A-05"),
    ("ine.derfe", Role.INE_DERFE, "Dirección Ejecutiva", "del Registro Federal de Electores"),
    ("ine.jefa.derfe", Role.INE_DERFE, "Titular", "de la DERFE"),
    ("ine.utvopl", Role.INE_UTVOPL, "Unidad Técnica", "de Vinculación con los OPL"),
    ("ine.area", Role.INE_AREA, "Área", "del INE"),
]

GIVEN_NAMES = [
    "JOSE LUIS",
    "MARIA GUADALUPE",
    "JUAN",
    "FRANCISCO",
    "ROSA MARIA",
    "JESUS",
    "ANA",
    "MIGUEL ANGEL",
    "PATRICIA",
    "ALEJANDRO",
    "LETICIA",
    "ARTURO",
    "CARMEN",
    "RAMON",
    "GABRIELA",
    "FERNANDO",
    "LOURDES",
    "MANUEL",
    "ALMA",
    "ERNESTO",
    "NORMA",
    "JAVIER",
]
SURNAMES = [
    "VALENZUELA",
    "LOPEZ",
    "GARCIA",
    "MARTINEZ",
    "RODRIGUEZ",
    "MORENO",
    "ESPINOZA",
    "FIGUEROA",
    "MUÑOZ",
    "ROMERO",
    "ACUÑA",
    "DURAZO",
    "ESQUER",
    "ORTIZ",
    "BUSTAMANTE",
    "LEYVA",
    "CORRAL",
    "SOTO",
    "FELIX",
    "QUIJADA",
    "TAPIA",
    "YOCUPICIO",
    "ENCINAS",
]
VOWELS = set("AEIOU")
# The aspirants whose own pre-capture waits in the mesa de control, and the rows of each cédula.
PRECAPTURE_ASPIRANTS = ("A-01", "A-03")
PRECAPTURE_ROWS = (4, 3, 3)


def is_empty():
    return not User.objects.exists() and not Aspirant.objects.exists()


def load_demo(seed=2021, supports_per_aspirant=90):
    """Load the whole demo. Deterministic for a given seed."""
    rng = random.Random(seed)
    with transaction.atomic():
        import_geo(SONORA_CATALOGUE)
        load_setup_file(SETUP_FILE)
        open_app_office()
        users = create_users()
        link_aspirant_accounts(users)
        register_app_auxiliary(users)
        capture_demo_supports(users["opl.captura"], rng, supports_per_aspirant)
        precapture_demo_supports(users, rng)
    load_demo_roll(rng)
    for office in Office.objects.filter(process__code="PEL-2021"):
        run_check(office, users["opl.admin"])
    load_sivople_demo()


def load_demo_roll(rng):
    """A synthetic roll cut holding the demo's citizens (a few as bajas, padrón-only, from outside
    the office's territory or missing) and Sonora's real Lista Nominal per section as the cut's
    statistics, so thresholds are the real ones (GOB: 3% of 2.1 million)."""
    cut_date = Process.objects.get(code="PEL-2021").roll_cut_date
    all_sections = list(Section.objects.filter(state=26).values_list("number", flat=True))
    territories = {
        office.pk: list(office.territory_sections().values_list("number", flat=True))
        for office in Office.objects.filter(process__code="PEL-2021")
    }
    citizens = Support.objects.values_list("elector_key", "aspirant__office").distinct()
    with tempfile.TemporaryDirectory(prefix="apoyo-demo-") as folder:
        path = Path(folder) / "padron-demo.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(ROLL_COLUMNS)
            seen = set()
            for elector_key, office_id in citizens.order_by("elector_key", "aspirant__office"):
                if elector_key in seen or rng.random() < 0.02:
                    continue  # not found in the roll
                seen.add(elector_key)
                territory = territories[office_id]
                section = rng.choice(territory if rng.random() < 0.95 else all_sections)
                writer.writerow(roll_row(rng, elector_key, section))
        import_roll(path, cut_date, name="padron-demo.csv")
    import_ln_stats(SONORA_NOMINAL_LIST, cut_date)


def roll_row(rng, elector_key, section):
    situation, cause = "LN", ""
    draw = rng.random()
    if draw < 0.02:
        situation, cause = (
            "BAJA",
            rng.choice(["DEFUNCION", "PERDIDA_VIGENCIA", "SUSPENSION_DERECHOS"]),
        )
    elif draw < 0.04:
        situation = "PADRON"
    ocr = f"{section:04d}{rng.randrange(10**9):09d}"
    return [elector_key, ocr, "", "", "", "", "", elector_key[14], 26, section, situation, cause]


def create_users():
    users = {}
    for username, role, first, last in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username, defaults={"role": role})
        user.role, user.first_name, user.last_name = role, first, last
        user.state_id = None if role in {Role.INE_DERFE, Role.INE_UTVOPL, Role.INE_AREA} else 26
        user.email = f"{username}@example.org"
        user.set_password(DEMO_PASSWORD)
        user.save()
        users[username] = user
    return users


# The capture app refuses captures outside the collection period, and PEL-2021's ended in 2021:
# one more office collects from a week ago to two months ahead, so the app can be tried today.
APP_OFFICE = "AYTO-18"
APP_ASPIRANT = "A-05"


def open_app_office():
    """Cajeme's ayuntamiento, collecting now, with one aspirant whose auxiliary uses the app."""
    today = timezone.localdate()
    office = Office.objects.create(
        process=Process.objects.get(code="PEL-2021"),
        code=APP_OFFICE,
        name="Ayuntamiento de Cajeme (captura con la app)",
        scope_type="municipality",
        scope_number=18,
        collection_start=today - datetime.timedelta(days=7),
        collection_end=today + datetime.timedelta(days=60),
        threshold_percent=3,
    )
    Aspirant.objects.create(
        office=office,
        code=APP_ASPIRANT,
        name="Lucía",
        paternal_surname="Moreno",
        maternal_surname="Bojórquez",
        email="aspirante.a05@example.org",
    )


def register_app_auxiliary(users):
    """The demo auxiliary works for A-05; its account already has the demo password."""
    aspirant = Aspirant.objects.get(code=APP_ASPIRANT, office__code=APP_OFFICE)
    user = users["auxiliar.a05"]
    Auxiliary.objects.create(
        aspirant=aspirant,
        process=aspirant.office.process,
        user=user,
        name=user.get_full_name(),
        email=user.email,
        phone="6440000005",
        registered_by=aspirant.user,
    )


def link_aspirant_accounts(users):
    for aspirant in Aspirant.objects.filter(office__process__code="PEL-2021"):
        aspirant.user = users.get(f"aspirante.{aspirant.code.replace('-', '').lower()}")
        aspirant.save(update_fields=["user"])


def name_letters(word):
    """First letter and first internal consonant of a name part (DOMAIN.md, clave de elector)."""
    word = word.split()[-1] if word.startswith(("DE ", "DEL ")) else word.split()[0]
    word = word.replace("Ñ", "X")
    internal = next((c for c in word[1:] if c.isalpha() and c not in VOWELS), "X")
    return word[0] + internal


def demo_citizen(rng):
    name, paternal, maternal = rng.choice(GIVEN_NAMES), rng.choice(SURNAMES), rng.choice(SURNAMES)
    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 52))
    key = (
        name_letters(paternal)
        + name_letters(maternal)
        + name_letters(name)
        + birth.strftime("%y%m%d")
        + "26"
        + rng.choice("HM")
        + f"{rng.randrange(1000):03d}"
    )
    ocr = f"{rng.randrange(1, 1557):04d}{rng.randrange(10**9):09d}"
    return {
        "NOMBRE": name,
        "APELLIDO_PATERNO": paternal,
        "APELLIDO_MATERNO": maternal,
        "CLAVE_ELECTOR": key,
        "OCR": ocr,
    }


def capture_demo_supports(capturist, rng, per_aspirant):
    """Cédulas of ten rows per aspirant; a few with inconsistencies, shared citizens and withdrawals."""
    shared = [demo_citizen(rng) for _ in range(12)]
    for aspirant in Aspirant.objects.select_related("office").order_by("code"):
        office = aspirant.office
        # Cédulas are dated up to today: an office still collecting has none from the future.
        last = min(office.collection_end, timezone.localdate())
        days = max(0, (last - office.collection_start).days)
        for folio in range(per_aspirant // 10):
            date = office.collection_start + datetime.timedelta(days=rng.randrange(days + 1))
            cedula, _ = open_cedula(capturist, aspirant, f"{aspirant.code}-{folio + 1:04d}", date)
            for _ in range(10):
                citizen = rng.choice(shared) if rng.random() < 0.05 else demo_citizen(rng)
                row = dict(citizen, TIPO_INCONSISTENCIA="", COMENTARIO="")
                if rng.random() < 0.08:
                    row["TIPO_INCONSISTENCIA"] = rng.choice(["FOTOCOPIA", "SIN_FIRMA", "ILEGIBLE"])
                    row["COMENTARIO"] = "Observación de la mesa de control en papel."
                capture_support(capturist, cedula, row)
    for support in Support.objects.order_by("id")[:3]:
        withdraw_support(capturist, support, "Cédula entregada por error (demostración).")


def precapture_demo_supports(users, rng):
    """The aspirants' own pre-capture, waiting in the mesa de control: a few cédulas each, registered
    by the aspirant's account with a scan and captured row by row through the services of the
    pre-captura pages (so every row is pending review), and one SIMULACION rejection proposed by
    opl.revision that waits for a second revisor (opl.revision2). Their citizens are in the demo
    roll, so what a revisor accepts counts in the next compulsa."""
    aspirants = Aspirant.objects.filter(code__in=PRECAPTURE_ASPIRANTS)
    for aspirant in aspirants.select_related("office", "user").order_by("code"):
        office = aspirant.office
        # Cédulas are dated up to today: an office still collecting has none from the future.
        last = min(office.collection_end, timezone.localdate())
        days = max(0, (last - office.collection_start).days)
        for number, rows in enumerate(PRECAPTURE_ROWS, start=1):
            date = office.collection_start + datetime.timedelta(days=rng.randrange(days + 1))
            cedula, _ = open_cedula(aspirant.user, aspirant, f"{aspirant.code}-P{number:03d}", date)
            citizens = [demo_citizen(rng) for _ in range(rows)]
            scan = ContentFile(cedula_scan(cedula, citizens), name=f"cedula-{cedula.reference}.pdf")
            add_scan(aspirant.user, cedula, scan)
            for citizen in citizens:
                capture_support(
                    aspirant.user, cedula, dict(citizen, COMENTARIO=""), channel=Channel.ASPIRANT
                )
    proposed = (
        Support.objects.filter(aspirant__code=PRECAPTURE_ASPIRANTS[0], channel=Channel.ASPIRANT)
        .order_by("id")
        .last()
    )
    simulation = inconsistencies_for_state(26).get(code="SIMULACION")
    review.record_inconsistency(
        users["opl.revision"],
        proposed,
        simulation,
        "El holograma de la credencial se ve impreso en la fotocopia (demostración).",
    )


def cedula_scan(cedula, citizens):
    """A one-page PDF standing in for the scan of a paper cédula: its folio, date, aspirant and rows."""
    buffer = io.BytesIO()
    width, height = landscape(letter)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"Cédula {cedula.reference}")
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(2 * cm, height - 2 * cm, "Cédula de apoyo ciudadano — demostración")
    pdf.setFont("Helvetica", 11)
    aspirant = cedula.aspirant
    pdf.drawString(2 * cm, height - 3 * cm, f"Folio (número de referencia): {cedula.reference}")
    pdf.drawString(2 * cm, height - 3.7 * cm, f"Fecha: {cedula.date:%d/%m/%Y}")
    pdf.drawString(
        2 * cm, height - 4.4 * cm, f"Aspirante: {aspirant.full_name} · {aspirant.office.name}"
    )
    columns = [("#", 2), ("Nombre(s)", 3), ("Apellido paterno", 8), ("Apellido materno", 12.5)]
    columns += [("Clave de elector", 17), ("OCR", 21.5), ("Firma", 24.3)]
    top = height - 6 * cm
    pdf.setFont("Helvetica-Bold", 9)
    for label, x in columns:
        pdf.drawString(x * cm, top, label)
    pdf.setFont("Helvetica", 9)
    for number, citizen in enumerate(citizens, start=1):
        y = top - number * 1.1 * cm
        values = [
            str(number),
            citizen["NOMBRE"],
            citizen["APELLIDO_PATERNO"],
            citizen["APELLIDO_MATERNO"],
            citizen["CLAVE_ELECTOR"],
            citizen["OCR"],
        ]
        for (_label, x), value in zip(columns, values, strict=False):
            pdf.drawString(x * cm, y, value)
        pdf.line(24.3 * cm, y - 0.1 * cm, width - 2 * cm, y - 0.1 * cm)
        pdf.line(2 * cm, y - 0.4 * cm, width - 2 * cm, y - 0.4 * cm)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
