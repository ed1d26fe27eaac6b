"""Mi cuenta: one's own password and two-step verification."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views import View

from apoyo.accounts import mfa, policies


class AccountView(LoginRequiredMixin, View):
    def get(self, request):
        context = {
            "enrolled": mfa.is_enrolled(request.user),
            "mfa_required": policies.mfa_required(request.user),
        }
        return render(request, "accounts/account.html", context)


class MfaRemoveView(LoginRequiredMixin, View):
    """Those who may go without a second factor may turn theirs off."""

    def post(self, request):
        if policies.mfa_required(request.user):
            raise PermissionDenied("Su rol exige la verificación en dos pasos.")
        mfa.remove(request)
        messages.success(request, "La verificación en dos pasos quedó desactivada.")
        return redirect("account")
