from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.views import View
from django.views.generic import CreateView, ListView, UpdateView

from apoyo.accounts import policies
from apoyo.accounts.forms import NewStaffForm, StaffForm
from apoyo.accounts.models import OPL_ROLES, User
from apoyo.accounts.permissions import OplAdminRequiredMixin


@login_required
def home(request):
    user = request.user
    if policies.is_opl_staff(user):
        return redirect("supports:dashboard")
    if policies.is_aspirant(user):
        return redirect("supports:portal")
    if policies.can_import_roll(user):
        return redirect("roll:imports")
    if policies.can_use_sivople(user):
        return redirect("liaison:inbox")
    return render(request, "accounts/home.html")


class StateStaffMixin(OplAdminRequiredMixin):
    """An OPL administrator manages only the OPL staff of their own entity. Aspirant and auxiliary
    accounts are never reachable here, so no staff form can turn one into OPL staff."""

    model = User
    success_url = reverse_lazy("user_list")
    # Not "user": that name is the signed-in person in every template (the header, the menu).
    context_object_name = "managed_user"

    def get_queryset(self):
        return User.objects.filter(
            state=self.request.user.state_id, role__in=OPL_ROLES, is_superuser=False
        )


class UserList(StateStaffMixin, ListView):
    template_name = "accounts/user_list.html"
    paginate_by = settings.APOYO_PAGE_SIZE
    context_object_name = "staff"

    def get_queryset(self):
        return super().get_queryset().order_by("role", "username")


class UserCreate(StateStaffMixin, CreateView):
    template_name = "accounts/user_form.html"
    form_class = NewStaffForm

    def form_valid(self, form):
        form.instance.state_id = self.request.user.state_id
        messages.success(self.request, f"Usuario {form.instance.username} creado.")
        return super().form_valid(form)


class UserUpdate(StateStaffMixin, UpdateView):
    template_name = "accounts/user_form.html"
    form_class = StaffForm

    def form_valid(self, form):
        messages.success(self.request, f"Usuario {form.instance.username} actualizado.")
        return super().form_valid(form)


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
