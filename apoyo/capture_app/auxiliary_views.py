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
from apoyo.aspirants.forms import AuxiliaryForm, InvitationPasswordForm, password_rules
from apoyo.aspirants.invitations import invitation_tokens
from apoyo.aspirants.models import Aspirant, Auxiliary, AuxiliaryConflict
from apoyo.capture_app.daily_totals import daily_totals
from apoyo.core.exports import list_response, local_time
from apoyo.core.pagination import paginate
from apoyo.supports.models import Channel, Support


def app_counts(supports):
    """Supports captured with the app, per capturing user id."""
    rows = supports.filter(channel=Channel.APP).values("captured_by").annotate(n=Count("id"))
    return {row["captured_by"]: row["n"] for row in rows.order_by()}


def own_auxiliaries(request):
    """The signed-in aspirant's auxiliaries, in name order."""
    return Auxiliary.objects.visible_to(request.user).select_related("user").order_by("name", "id")


class AuxiliaryListView(AspirantRequiredMixin, View):
    """The aspirant's auxiliaries, a page at a time, with their invitation state and app
    captures, and the per-day totals of those captures."""

    def get(self, request):
        aspirant = get_object_or_404(Aspirant.objects.visible_to(request.user))
        auxiliaries = own_auxiliaries(request)
        page = paginate(request, auxiliaries)
        counts = app_counts(Support.objects.filter(aspirant=aspirant))
        for auxiliary in page:
            auxiliary.captured = counts.get(auxiliary.user_id, 0)
        log_access(request, "listar", "auxiliares", aspirant.pk)
        names = dict(auxiliaries.values_list("user_id", "name"))
        context = {
            "aspirant": aspirant,
            "page": page,
            "daily": daily_totals(aspirant, names),
        }
        return render(request, "auxiliaries/list.html", context)


EXPORT_HEADER = [
    "Nombre",
    "Usuario",
    "Correo",
    "Teléfono",
    "Estado",
    "Invitación",
    "Invitación enviada",
    "Apoyos capturados (app)",
]


def invitation_state(auxiliary):
    """The page's «Invitación» column in words."""
    if auxiliary.user.has_usable_password():
        return "Contraseña creada"
    return "Enviada" if auxiliary.invited_at else "No enviada"


class AuxiliaryExportView(AspirantRequiredMixin, View):
    """The aspirant's list of auxiliaries as CSV or XLSX: the page's columns, every page."""

    def get(self, request, fmt):
        aspirant = get_object_or_404(Aspirant.objects.visible_to(request.user))
        counts = app_counts(Support.objects.filter(aspirant=aspirant))
        log_access(request, "exportar", "auxiliares", aspirant.pk, detail=fmt)
        rows = (
            [
                a.name,
                a.user.username,
                a.email,
                a.phone,
                "Cuenta activa" if a.active else "Cuenta desactivada",
                invitation_state(a),
                local_time(a.invited_at),
                counts.get(a.user_id, 0),
            ]
            for a in own_auxiliaries(request)
        )
        return list_response(fmt, "mis-auxiliares", "Auxiliares", EXPORT_HEADER, rows)


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
                f"Se registró a {auxiliary.name} como auxiliar. Se envió la invitación a "
                f"{auxiliary.email}.",
            )
        else:
            messages.warning(
                request,
                f"Se registró a {auxiliary.name} como auxiliar, pero el correo no pudo enviarse: "
                "use «Reenviar invitación» más tarde.",
            )
        return redirect("auxiliaries:list")

    def render(self, request, form, status=200):
        return render(request, "auxiliaries/form.html", {"form": form}, status=status)


class AuxiliaryActionView(AspirantRequiredMixin, View):
    """Deactivate (after a confirmation page), reactivate or re-invite one of the aspirant's
    auxiliaries."""

    action = None

    def get(self, request, pk):
        if self.action != "deactivate":
            return self.http_method_not_allowed(request)
        auxiliary = self.get_auxiliary(request, pk)
        if not auxiliary.active:
            return redirect("auxiliaries:list")
        return render(request, "auxiliaries/deactivate.html", {"auxiliary": auxiliary})

    @staticmethod
    def get_auxiliary(request, pk):
        auxiliaries = Auxiliary.objects.visible_to(request.user).select_related("user", "aspirant")
        return get_object_or_404(auxiliaries, pk=pk)

    def post(self, request, pk):
        auxiliary = self.get_auxiliary(request, pk)
        if self.action == "deactivate":
            services.deactivate_auxiliary(auxiliary)
            messages.success(
                request,
                f"Se desactivó a {auxiliary.name}: su sesión en la aplicación se cerró y ya no "
                "puede capturar. Los apoyos que envió se conservan.",
            )
        elif self.action == "reactivate":
            services.reactivate_auxiliary(auxiliary)
            messages.success(
                request,
                f"Se reactivó a {auxiliary.name}: puede volver a capturar al iniciar sesión.",
            )
        elif not auxiliary.active:
            messages.error(request, f"Reactive a {auxiliary.name} antes de reenviar la invitación.")
        elif services.send_invitation(auxiliary):
            messages.success(
                request,
                f"Invitación reenviada a {auxiliary.email}; el enlace anterior ya no sirve.",
            )
        else:
            messages.error(request, "El correo no pudo enviarse; intente más tarde.")
        return redirect("auxiliaries:list")


class InvitationView(PasswordResetConfirmView):
    """The invitation link: the auxiliary sets their password (Django's password-reset view, with
    the invitation's own token: a link re-sent makes the earlier ones invalid)."""

    template_name = "auxiliaries/invitation.html"
    success_url = reverse_lazy("auxiliaries:invitation_done")
    token_generator = invitation_tokens
    form_class = InvitationPasswordForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(password_rules=password_rules(), **kwargs)

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        if user is None or not policies.is_auxiliary(user):
            return None
        return user


class InvitationDoneView(TemplateView):
    template_name = "auxiliaries/invitation_done.html"


# The OPL's pages -----------------------------------------------------------------------------------


def opl_auxiliaries(request):
    """The OPL list's auxiliaries: the entity's, of one aspirant when ?aspirant= names one."""
    auxiliaries = Auxiliary.objects.visible_to(request.user).select_related(
        "aspirant__office__process", "user"
    )
    aspirant = request.GET.get("aspirant")
    if aspirant and aspirant.isdigit():
        auxiliaries = auxiliaries.filter(aspirant=aspirant)
    return auxiliaries.order_by("aspirant__code", "name", "id")


OPL_EXPORT_HEADER = [
    "Aspirante",
    "Nombre",
    "Usuario",
    "Correo",
    "Teléfono",
    "Estado",
    "Fecha de registro",
    "Apoyos (app)",
]


def opl_export_rows(auxiliaries):
    """The OPL list's columns, one row per auxiliary, app captures counted in one query."""
    counts = app_counts(Support.objects.filter(captured_by__in=auxiliaries.values("user_id")))
    for a in auxiliaries.iterator(chunk_size=2000):
        yield [
            a.aspirant.code,
            a.name,
            a.user.username,
            a.email,
            a.phone,
            "Cuenta activa" if a.active else "Cuenta desactivada",
            local_time(a.registered_at),
            counts.get(a.user_id, 0),
        ]


class OplAuxiliaryExportView(OplStaffRequiredMixin, View):
    """The OPL list as CSV or XLSX, with the page's aspirant filter."""

    def get(self, request, fmt):
        auxiliaries = opl_auxiliaries(request)
        log_access(request, "exportar", "auxiliares", detail=f"{fmt} {request.GET.urlencode()}")
        rows = opl_export_rows(auxiliaries)
        return list_response(fmt, "auxiliares", "Auxiliares", OPL_EXPORT_HEADER, rows)


class OplAuxiliaryListView(OplStaffRequiredMixin, View):
    """Every auxiliary of the entity's aspirants."""

    def get(self, request):
        page = paginate(request, opl_auxiliaries(request))
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
