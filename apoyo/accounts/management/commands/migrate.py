"""`manage.py migrate` as CONTRACT.md has it ("prepares an empty database"), for every database
the settings define: on SQLite the bitácora has a file of its own (accounts.routers), migrated
after the main one. With --database, only that one, as Django's own command.

Only the command line does this: call_command("migrate") and the test runner (which migrates each
test database by its alias) get Django's command unchanged."""

from django.conf import settings
from django.core.management.commands import migrate
from django.db import DEFAULT_DB_ALIAS


class Command(migrate.Command):
    def run_from_argv(self, argv):
        super().run_from_argv(argv)
        if any(arg == "--database" or arg.startswith("--database=") for arg in argv):
            return
        for alias in settings.DATABASES:
            if alias != DEFAULT_DB_ALIAS:
                super().run_from_argv([*argv, f"--database={alias}"])
