"""Role checks for views. What a user may *see* is decided in scoping.py; here, what they may *do*."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from apoyo.accounts.models import Role


class RoleRequiredMixin(LoginRequiredMixin):
    """Allow only users whose role is in `allowed_roles`; everyone else gets 403."""

    allowed_roles = frozenset()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if request.user.role not in self.allowed_roles:
            raise PermissionDenied("Su rol no tiene acceso a esta página.")
        return super().dispatch(request, *args, **kwargs)


class OplAdminRequiredMixin(RoleRequiredMixin):
    allowed_roles = frozenset({Role.OPL_ADMIN})


class CaptureRequiredMixin(RoleRequiredMixin):
    allowed_roles = frozenset({Role.OPL_ADMIN, Role.OPL_CAPTURIST, Role.OPL_REVIEWER})


class AspirantRequiredMixin(RoleRequiredMixin):
    allowed_roles = frozenset({Role.ASPIRANT})
