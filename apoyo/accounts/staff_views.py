"""Administración → Personal y Cuentas: the OPL's staff of the entity (create, edit, role change,
password link) and the accounts of its aspirants and auxiliaries (activate, deactivate, password
link). Both lists are of the administrator's own entity."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views import View
from django.views.generic import CreateView, ListView, UpdateView

from apoyo.accounts import policies, services
from apoyo.accounts.audit import log_access
from apoyo.accounts.forms import NewStaffForm, RoleChangeForm, StaffForm
from apoyo.accounts.models import OPL_ROLES, User
from apoyo.accounts.permissions import PolicyRequiredMixin
from apoyo.accounts.signin import send_password_link
from apoyo.core.pagination import paginate


class StaffManagerMixin(PolicyRequiredMixin):
    policy = policies.can_manage_staff


def entity_staff(request):
    return User.objects.filter(state=request.user.state_id, role__in=OPL_ROLES, is_superuser=False)


def entity_accounts(request):
    return User.objects.filter(
        state=request.user.state_id, role__in=services.MANAGED_ACCOUNT_ROLES, is_superuser=False
    )


class StaffMixin(StaffManagerMixin):
    """An OPL administrator manages only the OPL staff of their own entity. Aspirant and auxiliary
    accounts are never reachable here, so no staff form can turn one into OPL staff."""

    model = User
    success_url = reverse_lazy("user_list")
    # Not "user": that name is the signed-in person in every template (the header, the menu).
    context_object_name = "managed_user"

    def get_queryset(self):
        return entity_staff(self.request)


class UserList(StaffMixin, ListView):
    template_name = "accounts/user_list.html"
    paginate_by = settings.APOYO_PAGE_SIZE
    context_object_name = "staff"

    def get_queryset(self):
        log_access(self.request, "listar", "personal del OPL")
        return super().get_queryset().order_by("role", "username")


class UserCreate(StaffMixin, CreateView):
    template_name = "accounts/user_form.html"
    form_class = NewStaffForm

    def form_valid(self, form):
        user, sent = services.create_staff(self.request, form)
        if sent:
            messages.success(
                self.request,
                f"Cuenta {user.username} creada; se envió a {user.email} el enlace "
                "para establecer su contraseña.",
            )
        else:
            messages.warning(
                self.request,
                f"Cuenta {user.username} creada, pero el correo no salió: envíe el "
                "enlace de nuevo desde su ficha.",
            )
        return redirect("user_list")


class UserUpdate(StaffMixin, UpdateView):
    template_name = "accounts/user_form.html"
    form_class = StaffForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            role_form=RoleChangeForm(initial={"role": self.object.role}), **kwargs
        )

    def form_valid(self, form):
        log_access(
            self.request, "cuenta editada", "cuenta", form.instance.pk, ", ".join(form.changed_data)
        )
        messages.success(self.request, f"Usuario {form.instance.username} actualizado.")
        return super().form_valid(form)


class RoleChangeView(StaffManagerMixin, View):
    def post(self, request, pk):
        user = get_object_or_404(entity_staff(request), pk=pk)
        if user.pk == request.user.pk:
            raise PermissionDenied("No puede cambiar su propio rol: pídalo a otro administrador.")
        form = RoleChangeForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Elija el rol nuevo e indique el motivo del cambio.")
            return redirect("user_update", pk=user.pk)
        services.change_role(request, user, form.cleaned_data["role"], form.cleaned_data["reason"])
        messages.success(request, f"Rol de {user.username} cambiado a {user.get_role_display()}.")
        return redirect("user_update", pk=user.pk)


class PasswordLinkView(StaffManagerMixin, View):
    """Send a staff member, an aspirant or an auxiliary of the entity a link to set their password."""

    def post(self, request, pk):
        user = get_object_or_404(entity_staff(request) | entity_accounts(request), pk=pk)
        if send_password_link(request, user):
            messages.success(
                request, f"Se envió a {user.email} el enlace para establecer la contraseña."
            )
        else:
            messages.error(
                request, f"No se pudo enviar el enlace a «{user.username}»: revise su correo."
            )
        if user.role in services.MANAGED_ACCOUNT_ROLES:
            return redirect("account_list")
        return redirect("user_update", pk=user.pk)


class AccountList(StaffManagerMixin, View):
    """The accounts of the entity's aspirants and auxiliaries."""

    def get(self, request):
        accounts = entity_accounts(request).order_by("role", "username")
        log_access(request, "listar", "cuentas de aspirantes y auxiliares")
        return render(request, "accounts/account_list.html", {"page": paginate(request, accounts)})


class AccountActiveView(StaffManagerMixin, View):
    active = True

    def post(self, request, pk):
        user = get_object_or_404(entity_accounts(request) | entity_staff(request), pk=pk)
        if user.pk == request.user.pk:
            raise PermissionDenied("No puede desactivar su propia cuenta.")
        services.set_active(request, user, self.active)
        state = "activada" if self.active else "desactivada; sus tokens de la app se revocaron"
        messages.success(request, f"Cuenta {user.username} {state}.")
        return redirect(
            "account_list" if user.role in services.MANAGED_ACCOUNT_ROLES else "user_list"
        )
