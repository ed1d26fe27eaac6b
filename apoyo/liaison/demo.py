"""SIVOPLE in the demo: the consultation CONSULTA/SON/2020/1 that started this project
(../shared/seed/consulta-son-2020-1.md), taken through every step as it happened, and a new request
waiting in UTVOPL's inbox. Runs through the same services as the pages."""

import datetime
import io
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from apoyo.accounts.models import User
from apoyo.liaison.answers import approve_answer, forward_answer, save_answer
from apoyo.liaison.assignments import assign
from apoyo.liaison.models import Area, AreaMember, Consultation, DocumentType
from apoyo.liaison.workflow import mark_read, register

SEED_FOLIO = "CONSULTA/SON/2020/1"
SONORA_TIME = ZoneInfo("America/Hermosillo")

# (username, area, is_head): who answers for DERFE and DEPPP in the demo.
MEMBERS = [
    ("ine.derfe", "DERFE", False),
    ("ine.jefa.derfe", "DERFE", True),
    ("ine.area", "DEPPP", True),
]

LETTER = [
    "<b>Oficio IEE-PRESI-137-2020</b>",
    "Hermosillo, Sonora, junio de 2020.",
    "Director de la Unidad Técnica de Vinculación con los Organismos Públicos Locales del "
    "Instituto Nacional Electoral. Presente.",
    "Con fundamento en el artículo 26, numeral 6 del Reglamento de Elecciones, y de cara al Proceso "
    "Electoral Ordinario 2020-2021, me permito consultar:",
    "¿El sistema informático del INE para candidaturas independientes, en la versión que se ofrece "
    "a los OPL, permite que el OPL capture las cédulas de apoyo ciudadano que algunas personas "
    "aspirantes entreguen en papel?",
    "En caso afirmativo:",
    "1. ¿Es posible agregar al sistema del INE un módulo de registro masivo mediante la carga de un "
    "archivo con un formato establecido?",
    "2. ¿Qué campos solicitarán el formato de registro y el archivo de carga masiva?",
    "3. ¿Podrán las personas aspirantes cargar sus propias cédulas de apoyo en el sistema del INE?",
    "4. ¿Cómo se procesaron las cédulas en el sistema del INE por los OPL que celebraron elecciones "
    "locales en 2018 y 2019?",
    "Atentamente,",
    "Presidencia del Consejo General del Instituto Estatal Electoral y de Participación Ciudadana "
    "de Sonora.",
]

ANSWER = """En atención a la consulta, la DERFE informa:

1. El portal web del OPL cuenta con un módulo de captura manual de los apoyos de las personas aspirantes registradas en el sistema que utilizan la aplicación móvil. Existe para el régimen de excepción que el OPL establece conforme a su legislación local (municipios de alta marginación o zonas alejadas, donde el uso de la aplicación no es viable). El OPL captura los apoyos, revisa y valida las cédulas en papel (determinando el tipo de inconsistencia), para que el sistema determine su situación registral y puedan seguirse los resultados preliminares en el portal de la persona aspirante y en el del OPL.

2. Sin la aplicación, la compulsa se realiza «por la vía tradicional»: el OPL entrega al INE un archivo con los apoyos recibidos en papel y el INE los verifica contra el padrón; los campos se establecen en el protocolo correspondiente.

3. No existe un módulo de carga masiva. El módulo de captura manual solicita: número de referencia (folio de la cédula que contiene el apoyo), nombre, apellido paterno, apellido materno (al menos un apellido), clave de elector, OCR, tipo de inconsistencia y comentario.

4. Las personas aspirantes no pueden cargar sus propias cédulas: el sistema se diseñó para que el OPL revise y valide cada cédula del régimen de excepción conforme a las reglas aplicables.

5. En 2018 y 2019 los OPL capturaron uno por uno, en el módulo de captura manual, los apoyos en papel del régimen de excepción."""


def load_sivople_demo():
    """Area members, the seed consultation answered and forwarded, and a new request to assign."""
    if Consultation.objects.filter(folio=SEED_FOLIO).exists():
        return
    usernames = ["opl.admin", "ine.utvopl"] + [username for username, *_ in MEMBERS]
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    for username, code, is_head in MEMBERS:
        AreaMember.objects.get_or_create(
            area=Area.objects.get(code=code), user=users[username], defaults={"is_head": is_head}
        )
    load_seed_consultation(users)
    register(
        users["opl.admin"],
        DocumentType.objects.get(code="SOLICITUD"),
        f"IEE-SE-0452-{timezone.localdate().year}",
        "Capacitación sobre la compulsa de apoyos recabados en papel",
        "Se solicita una sesión de capacitación para el personal del OPL sobre el envío al INE de "
        "los apoyos recabados en papel para su compulsa por la vía tradicional.",
    )


def load_seed_consultation(users):
    """CONSULTA/SON/2020/1: registered and assigned to DERFE on 1 June 2020 at 19:08, answered by
    DERFE and forwarded to IEE Sonora on 10 June 2020."""
    registered = at(2020, 6, 1, 19, 8)
    consultation = register(
        users["opl.admin"],
        DocumentType.objects.get(code="CONSULTA"),
        "IEE-PRESI-137-2020",
        "Captura de cédulas de apoyo ciudadano en papel en el sistema del INE",
        "Se hace consulta en materia de candidaturas independientes.",
        files=[ContentFile(letter_pdf(), name="IEE-PRESI-137-2020.pdf")],
        now=registered,
    )
    # UTVOPL opened it to assign it: the OPL's read receipt.
    mark_read(users["ine.utvopl"], consultation, now=registered)
    (assignment,) = assign(
        users["ine.utvopl"], consultation, [Area.objects.get(code="DERFE")], now=registered
    )
    answer = save_answer(users["ine.derfe"], assignment, ANSWER, now=at(2020, 6, 10, 10, 30))
    approve_answer(users["ine.jefa.derfe"], answer, now=at(2020, 6, 10, 13, 0))
    forward_answer(users["ine.utvopl"], answer, now=at(2020, 6, 10, 17, 45))
    return consultation


def at(*parts):
    return datetime.datetime(*parts, tzinfo=SONORA_TIME)


def letter_pdf():
    """The OPL's letter (oficio IEE-PRESI-137-2020) as a one-page PDF."""
    output = io.BytesIO()
    styles = getSampleStyleSheet()
    story = []
    for paragraph in LETTER:
        story += [Paragraph(paragraph, styles["BodyText"]), Spacer(1, 6)]
    SimpleDocTemplate(output, pagesize=letter, title="Oficio IEE-PRESI-137-2020").build(story)
    return output.getvalue()
