from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import ListView

from apoyo.accounts import policies
from apoyo.accounts.models import Role


@login_required
def home(request):
    user = request.user
    if policies.is_opl_staff(user):
        return redirect("supports:dashboard")
    if policies.is_aspirant(user):
        return redirect("supports:portal")
    # A DERFE user who answers for an INE area starts from the SIVOPLE inbox, where the area's
    # deadlines are; the roll's imports stay one click away in the menu.
    if policies.is_ine_area(user) and user.area_memberships.exists():
        return redirect("liaison:inbox")
    if policies.can_import_roll(user):
        return redirect("roll:imports")
    if policies.can_use_sivople(user):
        return redirect("liaison:inbox")
    return render(request, "accounts/home.html")


class NotificationList(LoginRequiredMixin, ListView):
    template_name = "accounts/notifications.html"
    paginate_by = settings.APOYO_PAGE_SIZE

    def get_queryset(self):
        return self.request.user.notifications.all()


class NotificationOpen(LoginRequiredMixin, View):
    """Mark a notice read and go where it points."""

    def post(self, request, pk):
        notice = get_object_or_404(request.user.notifications, pk=pk)
        if notice.read_at is None:
            notice.read_at = timezone.now()
            notice.save(update_fields=["read_at"])
        return redirect(notice.url or "notifications")


class HelpView(LoginRequiredMixin, View):
    """Ayuda: the guide of the signed-in person's role (help/roles/<role>.html, the one source of
    the role guides: the README points here). A superuser, who passes every policy, gets all."""

    def get(self, request):
        user = request.user
        roles = list(Role) if user.is_superuser else [Role(user.role)] if user.role else []
        guides = [{"role": role, "template": f"help/roles/{role.value}.html"} for role in roles]
        return render(request, "help/guide.html", {"guides": guides})
