"""The rows of an open cédula, on its capture page: the warnings of a row while it is typed, and
the correction of a saved row (the OPL's, and the aspirant's of their own pre-captura)."""

from django.db import transaction

from apoyo.core.identity import elector_key_warnings, is_valid_elector_key, normalize_key
from apoyo.supports import policies
from apoyo.supports.models import Status, Support
from apoyo.supports.rules import RowError
from apoyo.supports.services import CaptureResult, correct_support, repeated_key_warnings

NOT_CORRECTABLE_BY_ASPIRANT = (
    "La mesa de control ya revisó este apoyo (o ya no está pendiente de revisión): pida al OPL "
    "que lo corrija si procede."
)


def typed_row_warnings(cedula, values, editing=None):
    """What capture_support will warn about this row, said before it is saved (DOMAIN "Identity
    formats": warn, do not reject): the clave's letters, birth date and entity against the names,
    and the same clave already captured for the aspirant. `values` are the cédula columns as
    typed; `editing` is the saved support being corrected, which is no repeat of itself. A clave
    still incomplete gives no warnings: the row rules will say what is wrong with it."""
    key = normalize_key(values.get("CLAVE_ELECTOR"))
    if not is_valid_elector_key(key):
        return []
    warnings = elector_key_warnings(
        key,
        values.get("NOMBRE") or "",
        values.get("APELLIDO_PATERNO") or "",
        values.get("APELLIDO_MATERNO") or "",
    )
    active = Support.objects.exclude(status=Status.WITHDRAWN).filter(
        aspirant=cedula.aspirant_id, elector_key=key
    )
    if editing is not None:
        active = active.exclude(pk=editing.pk)
    return warnings + repeated_key_warnings(active)


def correct_own_precapture(user, support, changes):
    """An aspirant corrects a row of their own pre-captura that no revisor has reviewed yet
    (supports.policies.can_correct_own_support), through the same correction as the OPL's
    (services.correct_support: the shared validator, and every changed field in the history the
    OPL reads). The tipo de inconsistencia is never the aspirant's: it stays as it is."""
    changes = {
        column: value for column, value in changes.items() if column != "TIPO_INCONSISTENCIA"
    }
    with transaction.atomic():
        # Locked as the mesa de control locks a support to decide it (review.locked_pending): a
        # decision taken meanwhile is seen here, and the correction then refused.
        current = Support.objects.select_for_update().get(pk=support.pk)
        if not policies.can_correct_own_support(user, current):
            return CaptureResult(errors=[RowError("", NOT_CORRECTABLE_BY_ASPIRANT)])
        return correct_support(user, current, changes)
