"""The capture app's photos, served only through a permission check, never as static files."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from rest_framework.exceptions import AuthenticationFailed

from apoyo.accounts import policies
from apoyo.accounts.audit import log_access
from apoyo.capture_app.authentication import ApiTokenAuthentication
from apoyo.capture_app.services import own_supports
from apoyo.core.filetypes import CONTENT_TYPES
from apoyo.supports.models import SupportImage


def visible_image(user, pk):
    """The image if `user` may see it: OPL users of the support's entity and its aspirant (the
    scoping rules), or the auxiliary who captured it."""
    images = SupportImage.objects.select_related("support")
    if policies.is_auxiliary(user):
        images = images.filter(support__in=own_supports(user).values("pk"))
    else:
        images = images.visible_to(user)
    return images.filter(pk=pk).first()


@method_decorator([xframe_options_sameorigin, never_cache], name="dispatch")
class AppImageView(View):
    """One photo of an app support, by a logged-in user (session) or the app (token header);
    every access goes to the access log."""

    def get(self, request, pk):
        if not request.user.is_authenticated:
            try:
                found = ApiTokenAuthentication().authenticate(request)
            except AuthenticationFailed as failed:
                return JsonResponse({"detail": str(failed.detail), "errors": []}, status=401)
            if found is None:
                return redirect_to_login(request.get_full_path())
            request.user, _ = found
        if not (policies.can_see_scans(request.user) or policies.is_auxiliary(request.user)):
            raise PermissionDenied("Su rol no tiene acceso a las imágenes de los apoyos.")
        image = visible_image(request.user, pk)
        if image is None:
            raise Http404("No existe la imagen.")
        log_access(
            request,
            "ver",
            "imagen de apoyo",
            image.pk,
            f"{image.get_kind_display()} del apoyo {image.support_id}",
        )
        return FileResponse(image.file.open("rb"), content_type=CONTENT_TYPES[image.content_kind])
