"""Sign-in pages: the password, the second factor and its set-up, and the password's change and
recovery (Django's views with Spanish pages, plus what Apoyo adds to each)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from apoyo.accounts import mfa, policies
from apoyo.accounts.signin import password_changed

RECOVERY_CODES_SESSION = "apoyo_recovery_codes"


def safe_next(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else default


class SignInView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # The demo says plainly that the second factor is offered but not required there.
        optional = not settings.APOYO_MFA_REQUIRED
        return super().get_context_data(mfa_optional_everywhere=optional, **kwargs)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Código",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text="Los 6 dígitos que muestra su aplicación, o uno de sus códigos de recuperación.",
    )


class MfaVerifyView(LoginRequiredMixin, View):
    """The second step of signing in."""

    def get(self, request):
        if request.user.is_verified():
            return redirect(safe_next(request))
        return self.render(request, CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid() and mfa.verify(request, form.cleaned_data["code"]):
            return redirect(safe_next(request))
        if form.is_valid():
            form.add_error("code", "El código no es válido o ya se usó. Intente con el siguiente.")
        return self.render(request, form, status=400)

    def render(self, request, form, status=200):
        context = {"form": form, "next": safe_next(request, "")}
        return render(request, "registration/mfa_verify.html", context, status=status)


class MfaSetupView(LoginRequiredMixin, View):
    """Enrolment: scan the QR code with an authenticator app and confirm with one of its codes."""

    def get(self, request):
        device = mfa.authenticator(request.user, confirmed=False) or mfa.start_enrolment(
            request.user
        )
        return self.render(request, device, CodeForm())

    def post(self, request):
        device = mfa.authenticator(request.user, confirmed=False)
        if device is None:
            return redirect("mfa_setup")
        form = CodeForm(request.POST)
        codes = form.is_valid() and mfa.confirm_enrolment(
            request, device, form.cleaned_data["code"]
        )
        if not codes:
            if form.is_valid():
                form.add_error("code", "El código no coincide: revise la hora de su teléfono.")
            return self.render(request, device, form, status=400)
        request.session[RECOVERY_CODES_SESSION] = codes
        return redirect(reverse_lazy("mfa_recovery_codes") + f"?next={safe_next(request, '')}")

    def render(self, request, device, form, status=200):
        context = {
            "form": form,
            "qr_code": mfa.qr_code_svg(device),
            "secret": mfa.secret_text(device),
            "required": policies.mfa_required(request.user),
            "next": safe_next(request, ""),
        }
        return render(request, "registration/mfa_setup.html", context, status=status)


class RecoveryCodesView(LoginRequiredMixin, View):
    """The recovery codes, shown once right after they are made."""

    def get(self, request):
        codes = request.session.pop(RECOVERY_CODES_SESSION, None)
        if not codes:
            return redirect("account")
        context = {"codes": codes, "next": safe_next(request)}
        return render(request, "registration/mfa_recovery_codes.html", context)

    def post(self, request):
        if not request.user.is_verified():
            return redirect("mfa_verify")
        request.session[RECOVERY_CODES_SESSION] = mfa.replace_recovery_codes(request.user)
        messages.success(request, "Se generaron códigos nuevos; los anteriores ya no sirven.")
        return redirect("mfa_recovery_codes")


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed(self.request, form.user, "cambio desde su cuenta")
        messages.success(
            self.request,
            "Contraseña cambiada. Sus otras sesiones y la aplicación de captura deberán "
            "iniciar sesión de nuevo.",
        )
        return response


class PasswordResetView(auth_views.PasswordResetView):
    success_url = reverse_lazy("password_reset_done")
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        # Links point at APOYO_BASE_URL, never at whatever Host header the request carried.
        # Django's own form never says whether the address belongs to an account.
        self.extra_email_context = {"base_url": settings.APOYO_BASE_URL.rstrip("/")}
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed(self.request, form.user, "restablecida con enlace")
        return response
