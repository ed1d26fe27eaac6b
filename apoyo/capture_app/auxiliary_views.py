"""Auxiliaries in the aspirant portal (register, list, deactivate), their invitation, and the
OPL's view of every auxiliary of its entity and of the refused registrations."""

from django.contrib import messages
from django.contrib.auth.views import PasswordResetConfirmView
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views import View
from django.views.generic import TemplateView

from apoyo.accounts import policies
from apoyo.accounts.audit import log_access
from apoyo.accounts.permissions import AspirantRequiredMixin, OplStaffRequiredMixin
from apoyo.aspirants import services
from apoyo.aspirants.forms import AuxiliaryForm
from apoyo.aspirants.models import Aspirant, Auxiliary, AuxiliaryConflict
from apoyo.core.pagination import paginate
from apoyo.supports.models import Channel, Support


def app_counts(supports):
    """Supports captured with the app, per capturing user id."""
    rows = supports.filter(channel=Channel.APP).values("captured_by").annotate(n=Count("id"))
    return {row["captured_by"]: row["n"] for row in rows.order_by()}


class AuxiliaryListView(AspirantRequiredMixin, View):
    """The aspirant's auxiliaries, with their invitation state and app captures."""

    def get(self, request):
        aspirant = get_object_or_404(Aspirant.objects.visible_to(request.user))
        auxiliaries = list(Auxiliary.objects.visible_to(request.user).select_related("user"))
        counts = app_counts(Support.objects.filter(aspirant=aspirant))
        for auxiliary in auxiliaries:
            auxiliary.captured = counts.get(auxiliary.user_id, 0)
        log_access(request, "listar", "auxiliares", aspirant.pk)
        context = {"aspirant": aspirant, "auxiliaries": auxiliaries}
        return render(request, "auxiliaries/list.html", context)


class AuxiliaryCreateView(AspirantRequiredMixin, View):
    def get(self, request):
        return self.render(request, AuxiliaryForm())

    def post(self, request):
        aspirant = get_object_or_404(Aspirant.objects.visible_to(request.user))
        form = AuxiliaryForm(request.POST)
        if not form.is_valid():
            return self.render(request, form, status=400)
        try:
            auxiliary = services.register_auxiliary(
                aspirant, registered_by=request.user, **form.cleaned_data
            )
        except services.AuxiliaryRefused as refused:
            form.add_error(refused.field, str(refused))
            return self.render(request, form, status=400)
        if services.send_invitation(auxiliary):
            messages.success(
                request,
                f"Auxiliar {auxiliary.name} registrado. Se envió la invitación a {auxiliary.email}.",
            )
        else:
            messages.warning(
                request,
                f"Auxiliar {auxiliary.name} registrado, pero el correo no pudo enviarse: "
                "use «Reenviar invitación» más tarde.",
            )
        return redirect("auxiliaries:list")

    def render(self, request, form, status=200):
        return render(request, "auxiliaries/form.html", {"form": form}, status=status)


class AuxiliaryActionView(AspirantRequiredMixin, View):
    """Deactivate, reactivate or re-invite one of the aspirant's auxiliaries."""

    action = None

    def post(self, request, pk):
        auxiliary = get_object_or_404(
            Auxiliary.objects.visible_to(request.user).select_related("user", "aspirant"), pk=pk
        )
        if self.action == "deactivate":
            services.deactivate_auxiliary(auxiliary)
            messages.success(
                request,
                f"{auxiliary.name} quedó desactivado: su sesión en la aplicación se cerró.",
            )
        elif self.action == "reactivate":
            services.reactivate_auxiliary(auxiliary)
            messages.success(request, f"{auxiliary.name} puede volver a capturar.")
        elif not auxiliary.active:
            messages.error(request, "Reactive al auxiliar antes de reenviar la invitación.")
        elif services.send_invitation(auxiliary):
            messages.success(request, f"Invitación reenviada a {auxiliary.email}.")
        else:
            messages.error(request, "El correo no pudo enviarse; intente más tarde.")
        return redirect("auxiliaries:list")


class InvitationView(PasswordResetConfirmView):
    """The invitation link: the auxiliary sets their password (Django's password-reset token)."""

    template_name = "auxiliaries/invitation.html"
    success_url = reverse_lazy("auxiliaries:invitation_done")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        if user is None or not policies.is_auxiliary(user):
            return None
        return user


class InvitationDoneView(TemplateView):
    template_name = "auxiliaries/invitation_done.html"


# The OPL's pages -----------------------------------------------------------------------------------


class OplAuxiliaryListView(OplStaffRequiredMixin, View):
    """Every auxiliary of the entity's aspirants."""

    def get(self, request):
        auxiliaries = Auxiliary.objects.visible_to(request.user).select_related(
            "aspirant__office__process", "user"
        )
        aspirant = request.GET.get("aspirant")
        if aspirant and aspirant.isdigit():
            auxiliaries = auxiliaries.filter(aspirant=aspirant)
        page = paginate(request, auxiliaries.order_by("aspirant__code", "name", "id"))
        counts = app_counts(Support.objects.filter(captured_by__in=[a.user_id for a in page]))
        for auxiliary in page:
            auxiliary.captured = counts.get(auxiliary.user_id, 0)
        conflicts = AuxiliaryConflict.objects.visible_to(request.user).count()
        log_access(request, "listar", "auxiliares", detail=request.GET.urlencode())
        context = {
            "page": page,
            "conflicts": conflicts,
            "aspirants": Aspirant.objects.visible_to(request.user).order_by("code"),
        }
        return render(request, "auxiliaries/opl_list.html", context)


class OplConflictListView(OplStaffRequiredMixin, View):
    """Registrations refused because the person already works for another aspirant."""

    def get(self, request):
        conflicts = AuxiliaryConflict.objects.visible_to(request.user).select_related(
            "aspirant__office__process", "existing__aspirant", "attempted_by"
        )
        page = paginate(request, conflicts)
        log_access(request, "listar", "auxiliares rechazados")
        return render(request, "auxiliaries/opl_conflicts.html", {"page": page})
