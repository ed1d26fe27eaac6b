"""`make bench`: timings of the heavy paths against DESIGN.md "Performance targets".

`python -m bench` generates the data files once and runs each measurement in a child process per
database (bench.upload for the carga masiva, bench.compulsa for the roll import and the
compulsa), so every database starts from a fresh, migrated schema.
"""


def migrate_every_database():
    """`manage.py migrate` as the command line runs it: the main database and, on SQLite, the
    bitácora's own file (apoyo.accounts.routers)."""
    from django.conf import settings
    from django.core.management import call_command

    for alias in settings.DATABASES:
        call_command("migrate", database=alias, verbosity=0, interactive=False)
