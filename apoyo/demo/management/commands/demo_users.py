from django.conf import settings
from django.core.management.base import BaseCommand

from apoyo.demo.guide import boxed, guide_lines


class Command(BaseCommand):
    help = (
        "Muestra en un recuadro la dirección de Apoyo, los usuarios de demostración con lo que "
        "cada uno puede probar, su contraseña y dónde leer los correos."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--url",
            help="La dirección donde atiende el servidor (por omisión, APOYO_BASE_URL).",
        )

    def handle(self, *args, **options):
        url = options["url"] or settings.APOYO_BASE_URL.rstrip("/") + "/"
        self.stdout.write(boxed(guide_lines(url)))
