from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from apoyo.accounts.audit import log_access
from apoyo.accounts.permissions import OplAdminRequiredMixin
from apoyo.accounts.signin import send_password_link
from apoyo.aspirants.forms import AspirantForm
from apoyo.aspirants.models import Aspirant
from apoyo.aspirants.services import save_aspirant
from apoyo.core.pagination import paginate


class AspirantList(OplAdminRequiredMixin, View):
    def get(self, request):
        log_access(request, "listar", "aspirantes", detail=request.GET.urlencode())
        aspirants = Aspirant.objects.visible_to(request.user).select_related(
            "office__process", "user"
        )
        office = request.GET.get("office")
        if office and office.isdigit():
            aspirants = aspirants.filter(office=office)
        page = paginate(request, aspirants)
        return render(request, "aspirants/aspirant_list.html", {"page": page})


class AspirantEdit(OplAdminRequiredMixin, View):
    """Register (pk None) or edit an aspirant of the administrator's entity."""

    def get(self, request, pk=None):
        aspirant = self.get_aspirant(request, pk)
        return self.render(request, AspirantForm(instance=aspirant, user=request.user), aspirant)

    def post(self, request, pk=None):
        aspirant = self.get_aspirant(request, pk)
        form = AspirantForm(request.POST, instance=aspirant, user=request.user)
        if not form.is_valid():
            return self.render(request, form, aspirant, status=400)
        new_account = bool(form.cleaned_data.get("username"))
        aspirant = save_aspirant(form.instance, form.cleaned_data.get("username"))
        messages.success(request, f"Aspirante {aspirant.code} guardado.")
        if new_account and send_password_link(request, aspirant.user, new_account=True):
            messages.success(request, f"Se envió a {aspirant.email} el enlace de su contraseña.")
        return redirect("aspirants:list")

    def get_aspirant(self, request, pk):
        if pk is None:
            return None
        return get_object_or_404(Aspirant.objects.visible_to(request.user), pk=pk)

    def render(self, request, form, aspirant, status=200):
        context = {"form": form, "aspirant": aspirant}
        return render(request, "aspirants/aspirant_form.html", context, status=status)
