"""Helpers shared by the batch commands of CONTRACT.md."""

import sys


class CommandFailed(SystemExit):
    """Raised by a command whose input as a whole is unusable: one Spanish line on stderr, exit 1."""

    def __init__(self, message):
        super().__init__(1)
        self.message = message


def fail(message):
    sys.stderr.write(f"Error: {message}\n")
    raise CommandFailed(message)


def find_office(code, process_code=None):
    """The office with this code; --process settles a code used in several processes."""
    from apoyo.processes.models import Office

    offices = Office.objects.select_related("process").filter(code__iexact=code.strip())
    if process_code:
        offices = offices.filter(process__code__iexact=process_code.strip())
    found = list(offices[:2])
    if not found:
        fail(f"No existe el cargo {code}.")
    if len(found) > 1:
        fail(f"La clave de cargo {code} existe en varios procesos: indique --process.")
    return found[0]
