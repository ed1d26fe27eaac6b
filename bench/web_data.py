"""The database of `make bench ONLY=web` and `ONLY=lists`: Sonora's roll, a state-wide office with
four aspirants and their supports (inserted directly, as bench.compulsa does), part of them
waiting in the mesa de control, and the accounts of the simulated users.

Every function runs inside the child process of one database (Django set up).
"""

import datetime
import os
from dataclasses import dataclass, field

from bench.compulsa import import_roll_file, load_supports, make_office
from bench.compulsa import setup_django as migrate_and_geo

PASSWORD = "Banco.De.Pruebas.2021"  # noqa: S105 - throwaway accounts of a throwaway database
# One support in PENDING_SHARE waits in the mesa de control (an aspirant's pre-capture).
PENDING_SHARE = 5


@dataclass
class World:
    office_id: int
    process_id: int
    aspirant_ids: list
    capturists: list = field(default_factory=list)
    reviewers: list = field(default_factory=list)
    aspirants: list = field(default_factory=list)  # (username, aspirant id)
    admins: list = field(default_factory=list)
    api_keys: list = field(default_factory=list)
    support_ids: dict = field(default_factory=dict)  # aspirant id -> some of its support ids


def setup_django(label):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apoyo.settings")
    migrate_and_geo(label)


def refresh_statistics(label, say):
    from time import perf_counter

    from apoyo.core.dbstats import refresh_statistics as refresh

    start = perf_counter()
    refresh()
    say(label, f"Estadísticas del planificador al día en {perf_counter() - start:.2f} s.")


def mark_pending(aspirant_ids):
    """Every PENDING_SHARE-th support becomes an aspirant's pre-capture waiting in the mesa."""
    from django.db import connection

    from apoyo.supports.models import Channel, Status, Support

    table = Support._meta.db_table
    marks = ", ".join(["%s"] * len(aspirant_ids))
    with connection.cursor() as cursor:
        # %% is a literal % (modulo) in a statement with parameters, on both databases.
        cursor.execute(
            f"UPDATE {table} SET status = %s, channel = %s "  # noqa: S608 - our table name
            f"WHERE id %% {PENDING_SHARE} = 0 AND aspirant_id IN ({marks})",
            [Status.PENDING_REVIEW.value, Channel.ASPIRANT.value, *aspirant_ids],
        )
        return cursor.rowcount


def user(role, username):
    from apoyo.testing.factories import make_user

    return make_user(role, username=username, password=PASSWORD).username


def make_accounts(world, aspirants, counts):
    """The simulated users: counts = (capturists, reviewers, aspirants, admins)."""
    from apoyo.accounts.models import Role, User

    capturists, reviewers, aspirant_users, admins = counts
    world.capturists = [user(Role.OPL_CAPTURIST, f"captura{n}") for n in range(capturists)]
    world.reviewers = [user(Role.OPL_REVIEWER, f"revision{n}") for n in range(reviewers)]
    world.admins = [user(Role.OPL_ADMIN, f"admin{n}") for n in range(admins)]
    for n, aspirant in enumerate(list(aspirants.values())[:aspirant_users]):
        username = user(Role.ASPIRANT, f"aspirante{n}")
        aspirant.user = User.objects.get(username=username)
        aspirant.save(update_fields=["user"])
        world.aspirants.append((username, aspirant.pk))


def sample_support_ids(aspirant_ids, per_aspirant=200):
    from apoyo.supports.models import Support

    return {
        pk: list(
            Support.objects.filter(aspirant_id=pk)
            .order_by("id")
            .values_list("id", flat=True)[:: max(1, 10_000 // per_aspirant)][:per_aspirant]
        )
        for pk in aspirant_ids
    }


def build(label, say, files, roll_rows, supports, counts, api_clients):
    """Roll, supports, pending share, accounts; returns the World the clients use."""
    from bench.api import make_fixtures as api_fixtures

    if roll_rows:
        import_roll_file(label, files["roll"], roll_rows)
    office, aspirants = make_office()
    load_supports(label, files["supports"], supports, aspirants)
    aspirant_ids = [aspirant.pk for aspirant in aspirants.values()]
    pending = mark_pending(aspirant_ids)
    say(label, f"{pending:,} apoyos esperan en la mesa de control.")
    world = World(office.pk, office.process_id, aspirant_ids)
    make_accounts(world, aspirants, counts)
    if api_clients:
        _, world.api_keys = api_fixtures(api_clients)
    world.support_ids = sample_support_ids(aspirant_ids)
    refresh_statistics(label, say)
    return world


def cedula_date():
    """A date inside the factories' collection period (2020-12-15 to 2021-01-23)."""
    return datetime.date(2021, 1, 10).isoformat()
