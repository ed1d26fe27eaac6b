"""The one place where what a user may see is decided.

Every model holding data of an entity or an aspirant uses `ScopedQuerySet` and names the paths to
its state and its aspirant; views ask for `Model.objects.visible_to(user)` and never filter by role
themselves. A role this module does not know sees nothing.
"""

from django.db import models

from apoyo.accounts.models import OPL_ROLES, Role


class ScopedQuerySet(models.QuerySet):
    # Lookup path from the model to geo.State, e.g. "aspirant__office__process__state".
    state_path = None
    # Lookup path from the model to aspirants.Aspirant, or None when the model is not an aspirant's.
    aspirant_path = None

    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if user.role in OPL_ROLES:
            return self._for_state(user.state_id)
        if user.role == Role.ASPIRANT:
            return self._for_aspirant_user(user)
        return self.none()

    def _for_state(self, state_id):
        if state_id is None or self.state_path is None:
            return self.none()
        return self.filter(**{self.state_path: state_id})

    def _for_aspirant_user(self, user):
        if self.aspirant_path is None:
            return self.none()
        prefix = f"{self.aspirant_path}__" if self.aspirant_path else ""
        return self.filter(**{f"{prefix}user": user})


def scoped_manager(state_path, aspirant_path=None):
    """A manager whose querysets know how to scope themselves to a user."""
    queryset_class = type(
        "ScopedQuerySet",
        (ScopedQuerySet,),
        {"state_path": state_path, "aspirant_path": aspirant_path},
    )
    return models.Manager.from_queryset(queryset_class)()
