from django.core.management.base import BaseCommand

from apoyo.accounts.models import User
from apoyo.demo.services import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Muestra los usuarios de demostración y su contraseña."

    def handle(self, *args, **options):
        usernames = [username for username, *_ in DEMO_USERS]
        present = User.objects.filter(username__in=usernames, is_active=True)
        users = {u.username: u for u in present}
        if not users:
            self.stdout.write("No hay usuarios de demostración en esta base de datos.")
            return
        self.stdout.write(f"Usuarios de demostración (contraseña para todos: {DEMO_PASSWORD}):")
        for username in usernames:
            if username in users:
                user = users[username]
                self.stdout.write(f"  {username:<16} {user.get_role_display()}")
