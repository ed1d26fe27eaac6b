"""Lookups the batch commands share: an office by its code."""

from apoyo.core.cli import fail
from apoyo.processes.models import Office


def find_office(code, process_code=None):
    """The office with this code; --process settles a code used in several processes."""
    offices = Office.objects.select_related("process").filter(code__iexact=code.strip())
    if process_code:
        offices = offices.filter(process__code__iexact=process_code.strip())
    found = list(offices[:2])
    if not found:
        fail(f"No existe el cargo {code}.")
    if len(found) > 1:
        fail(f"La clave de cargo {code} existe en varios procesos: indique --process.")
    return found[0]
