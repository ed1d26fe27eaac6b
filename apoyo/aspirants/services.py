from django.db import transaction

from apoyo.accounts.models import Role, User


@transaction.atomic
def save_aspirant(aspirant, username="", password=""):
    """Save an aspirant and, when a username is given, open their aspirant-portal account."""
    if username:
        user = User(
            username=username,
            role=Role.ASPIRANT,
            state_id=aspirant.office.process.state_id,
            first_name=aspirant.name.title(),
            last_name=" ".join(
                p for p in [aspirant.paternal_surname, aspirant.maternal_surname] if p
            ).title(),
            email=aspirant.email,
        )
        user.set_password(password)
        user.save()
        aspirant.user = user
    aspirant.save()
    return aspirant
