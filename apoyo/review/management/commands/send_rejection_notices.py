from django.core.management.base import BaseCommand

from apoyo.review.digest import send_rejection_notices


class Command(BaseCommand):
    help = (
        "Avisa a cada aspirante, en su portal y por correo, de los apoyos que la mesa de control "
        "rechazó desde el aviso anterior (un aviso al día; prográmelo diariamente)."
    )

    def handle(self, *args, **options):
        told = send_rejection_notices()
        self.stdout.write(f"Aspirantes avisados: {told}.")
