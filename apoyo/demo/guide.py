"""The box `make run` prints last: where Apoyo answers, the demo's users with what each can try,
their password, and where the e-mails the demo sends can be read."""

from pathlib import Path

from django.conf import settings
from django.utils import timezone

from apoyo.accounts.models import User
from apoyo.aspirants.models import Aspirant
from apoyo.demo.services import DEMO_PASSWORD, DEMO_USERS

# What each demo user can try first; aspirants get their collection period appended.
TRY = {
    "opl.admin": "Administración, compulsa, resultados, audiencia y dictamen",
    "opl.captura": "Captura manual y carga masiva de cédulas",
    "opl.revision": "Mesa de control: la pre-captura de a01 y a03",
    "opl.revision2": "Confirmar el rechazo SIMULACION de opl.revision",
    "auxiliar.a05": "Aplicación de captura en /app/, con la fecha de hoy",
    "ine.derfe": "Padrón y SIVOPLE: redactar respuestas de la DERFE",
    "ine.jefa.derfe": "SIVOPLE: aprobar respuestas (titular de la DERFE)",
    "ine.utvopl": "SIVOPLE: turnar la solicitud nueva, remitir respuestas",
    "ine.area": "SIVOPLE: responder como titular de la DEPPP",
}


def aspirant_hint(aspirant, today):
    """What an aspirant can try: pre-capture within the office's collection period, today's date
    included when the period is open (the demo's AYTO-18), old dates otherwise (2020-2021)."""
    office = aspirant.office
    if office.in_collection_period(today):
        return f"Pre-captura con la fecha de hoy ({office.code}, hasta {office.collection_end:%d/%m/%Y})"
    start, end = office.collection_start, office.collection_end
    return f"Portal; pre-captura con fechas del {start:%d/%m/%Y} al {end:%d/%m/%Y}"


def user_lines(usernames):
    """One line per demo user present in the database: username and what to try."""
    today = timezone.localdate()
    aspirants = Aspirant.objects.filter(user__username__in=usernames).select_related(
        "office", "user"
    )
    hints = dict(TRY)
    hints.update({a.user.username: aspirant_hint(a, today) for a in aspirants})
    return [f"{username:<15} {hints.get(username, '')}".rstrip() for username in usernames]


def mail_line():
    """Where the e-mails go with the configured backend, in words."""
    backend = settings.EMAIL_BACKEND
    if backend.endswith("filebased.EmailBackend"):
        folder = Path(settings.EMAIL_FILE_PATH).resolve()
        if folder.is_relative_to(Path.cwd()):
            folder = folder.relative_to(Path.cwd())
        return f"Correos enviados: {folder}/ (un archivo por envío)"
    if backend.endswith("console.EmailBackend"):
        return "Correos enviados: se imprimen en esta consola"
    return f"Correos enviados: por SMTP ({settings.EMAIL_HOST})"


def guide_lines(url):
    """The box's lines: the address, then the users and their password, or that there are none."""
    usernames = [username for username, *_ in DEMO_USERS]
    present = set(
        User.objects.filter(username__in=usernames, is_active=True).values_list(
            "username", flat=True
        )
    )
    lines = [f"Apoyo en {url}   (Ctrl+C para detener)", ""]
    if not present:
        return [*lines, "No hay usuarios de demostración en esta base de datos."]
    lines.append(f"Usuarios de demostración; contraseña de todos: {DEMO_PASSWORD}")
    lines += user_lines([username for username in usernames if username in present])
    return [
        *lines,
        "",
        mail_line(),
        "Los mismos avisos aparecen en «Avisos», arriba a la derecha.",
    ]


def boxed(lines):
    """The lines framed in a box as wide as the longest one."""
    width = max(len(line) for line in lines)
    top, bottom = "┌" + "─" * (width + 2) + "┐", "└" + "─" * (width + 2) + "┘"
    return "\n".join([top, *(f"│ {line:<{width}} │" for line in lines), bottom])
