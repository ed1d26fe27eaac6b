"""Session rules that hold on every page: idle sessions end, the second factor comes before any
page, and every refusal reaches the bitácora."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from apoyo.accounts import mfa, policies
from apoyo.accounts.audit import client_address, log_access, record

LAST_SEEN = "apoyo_last_seen"
# Seconds between two writes of LAST_SEEN: a page view does not cost a session write each time.
LAST_SEEN_GRANULARITY = 60
NO_DEVICE = "apoyo_mfa_no_device"
# Pages a signed-in person reaches before the second factor: to give it, to set it up, to leave.
BEFORE_SECOND_FACTOR = frozenset({"logout", "mfa_verify", "mfa_setup"})


def idle_limit_seconds(user):
    minutes = (
        settings.APOYO_IDLE_MINUTES_STAFF
        if policies.is_staff_account(user)
        else settings.APOYO_IDLE_MINUTES
    )
    return minutes * 60


def is_passive(request):
    """htmx GETs refresh a progress bar or a partial by themselves: they are not activity."""
    return request.method == "GET" and request.headers.get("HX-Request") == "true"


class IdleTimeoutMiddleware:
    """End a session unused for longer than its idle limit (APOYO_IDLE_MINUTES_STAFF for staff,
    APOYO_IDLE_MINUTES for aspirants and auxiliaries)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        now = time.time()
        last = request.session.get(LAST_SEEN)
        if last is not None and now - last > idle_limit_seconds(user):
            return self.end_session(request, user)
        if not is_passive(request) and (last is None or now - last > LAST_SEEN_GRANULARITY):
            request.session[LAST_SEEN] = now
        return self.get_response(request)

    def end_session(self, request, user):
        minutes = idle_limit_seconds(user) // 60
        record(user, "sesión vencida", "sesión", user.pk, address=client_address(request))
        logout(request)
        messages.info(request, f"Su sesión se cerró tras {minutes} minutos sin actividad.")
        login = reverse("login") + "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request") == "true":
            return HttpResponse(status=204, headers={"HX-Redirect": login})
        return redirect(login)


class SecondFactorMiddleware:
    """Until a signed-in person gives their second factor, every page but those of
    BEFORE_SECOND_FACTOR sends them to verify it, or to set it up when their role requires it
    and they have none yet."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        target = self.pending_step(request)
        if target is None:
            return self.get_response(request)
        if request.headers.get("HX-Request") == "true":
            return HttpResponse(status=204, headers={"HX-Redirect": reverse(target)})
        return redirect(reverse(target) + "?" + urlencode({"next": request.get_full_path()}))

    def pending_step(self, request):
        user = request.user
        if not user.is_authenticated or user.is_verified() or self.exempt(request):
            return None
        if request.session.get(NO_DEVICE) and not policies.mfa_required(user):
            return None
        if mfa.is_enrolled(user):
            return "mfa_verify"
        if policies.mfa_required(user):
            return "mfa_setup"
        request.session[NO_DEVICE] = True
        return None

    def exempt(self, request):
        if request.path.startswith(settings.STATIC_URL) or request.path.startswith("/api/"):
            return True
        try:
            return resolve(request.path_info).url_name in BEFORE_SECOND_FACTOR
        except Resolver404:
            return True


class RefusalLogMiddleware:
    """Every 403 answered (a page, a download, the API) goes to the bitácora with what was asked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            detail = f"{request.method} {request.get_full_path()}"
            log_access(request, "rechazo", "autorización", detail=detail)
        return response
