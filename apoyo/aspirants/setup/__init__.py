"""Create or update a process, its offices and aspirants from a setup document.

CONTRACT.md, "load_setup FILE.json": idempotent by `code`. The whole document is validated (the
serializers in `apoyo.aspirants.setup.serializers`) before anything is written; the first problem
found becomes one SetupError whose Spanish message names where it is, e.g.
"offices[1].scope.number: el municipio 999 no existe en Sonora.".
"""

from apoyo.aspirants.setup.errors import SetupError
from apoyo.aspirants.setup.loader import load_setup, load_setup_file

__all__ = ["SetupError", "load_setup", "load_setup_file"]
