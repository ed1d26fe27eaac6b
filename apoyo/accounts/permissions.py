"""Views enforce the policies (policies.py) with these mixins. What a user may *see* of a table is
decided in scoping.py."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from apoyo.accounts import policies


class PolicyRequiredMixin(LoginRequiredMixin):
    """Allow only users for whom `policy(user)` is true; anyone else signed in gets 403."""

    policy = None
    refusal = "Su rol no tiene acceso a esta página."

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not type(self).policy(request.user):
            raise PermissionDenied(self.refusal)
        return super().dispatch(request, *args, **kwargs)


class OplStaffRequiredMixin(PolicyRequiredMixin):
    policy = policies.is_opl_staff


class OplAdminRequiredMixin(PolicyRequiredMixin):
    policy = policies.can_administer


class CaptureRequiredMixin(PolicyRequiredMixin):
    policy = policies.can_capture


class ReviewerRequiredMixin(PolicyRequiredMixin):
    policy = policies.can_review


class AspirantRequiredMixin(PolicyRequiredMixin):
    policy = policies.is_aspirant
