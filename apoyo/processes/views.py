from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import ListView

from apoyo.accounts import policies
from apoyo.accounts.audit import log_access
from apoyo.accounts.permissions import OplAdminRequiredMixin, PolicyRequiredMixin
from apoyo.processes.forms import (
    HolidayForm,
    InstituteForm,
    OfficeForm,
    PaperRegimeForm,
    ProcessForm,
)
from apoyo.processes.models import Holiday, Institute, Office, Process


def visible_process(request, pk):
    return get_object_or_404(Process.objects.visible_to(request.user), pk=pk)


class ProcessList(OplAdminRequiredMixin, ListView):
    template_name = "processes/index.html"

    def get_queryset(self):
        processes = Process.objects.visible_to(self.request.user)
        return processes.annotate(n_offices=Count("offices", distinct=True))


class ProcessEdit(OplAdminRequiredMixin, View):
    """Create (pk None) or edit a process of the administrator's entity."""

    def get(self, request, pk=None):
        process = visible_process(request, pk) if pk else None
        return self.render(request, ProcessForm(instance=process), process)

    def post(self, request, pk=None):
        process = visible_process(request, pk) if pk else Process(state=request.user.state)
        form = ProcessForm(request.POST, instance=process)
        if not form.is_valid():
            return self.render(request, form, process if pk else None, status=400)
        process = form.save()
        messages.success(request, f"Proceso {process.code} guardado.")
        return redirect("processes:detail", pk=process.pk)

    def render(self, request, form, process, status=200):
        context = {"form": form, "process": process}
        return render(request, "processes/process_form.html", context, status=status)


class InstituteEdit(OplAdminRequiredMixin, View):
    """How the administrator's OPL is named on its documents (the dictamen's heading and logo)."""

    def get(self, request):
        return self.render(request, InstituteForm(instance=self.institute(request)))

    def post(self, request):
        form = InstituteForm(request.POST, request.FILES, instance=self.institute(request))
        if not form.is_valid():
            return self.render(request, form, status=400)
        form.save()
        log_access(request, "datos del OPL cambiados", "OPL", request.user.state_id)
        messages.success(request, "Datos del OPL guardados; los dictámenes nuevos los usarán.")
        return redirect("processes:index")

    def institute(self, request):
        state = request.user.state
        return Institute.objects.filter(state=state).first() or Institute(
            state=state, name=f"Organismo Público Local de {state}"
        )

    def render(self, request, form, status=200):
        return render(request, "processes/institute_form.html", {"form": form}, status=status)


class ProcessDetail(OplAdminRequiredMixin, View):
    def get(self, request, pk):
        process = visible_process(request, pk)
        offices = process.offices.annotate(n_aspirants=Count("aspirants"))
        context = {
            "process": process,
            "offices": offices,
            "regime_municipalities": process.paper_regime_municipalities.all(),
            "regime_sections": process.paper_regime_sections.values_list("number", flat=True),
        }
        return render(request, "processes/process_detail.html", context)


class PaperRegimeEdit(OplAdminRequiredMixin, View):
    def get(self, request, pk):
        process = visible_process(request, pk)
        return self.render(request, PaperRegimeForm(instance=process), process)

    def post(self, request, pk):
        process = visible_process(request, pk)
        form = PaperRegimeForm(request.POST, instance=process)
        if not form.is_valid():
            return self.render(request, form, process, status=400)
        form.save()
        messages.success(request, "Régimen de excepción actualizado.")
        return redirect("processes:detail", pk=process.pk)

    def render(self, request, form, process, status=200):
        context = {"form": form, "process": process}
        return render(request, "processes/paper_regime_form.html", context, status=status)


class OfficeEdit(OplAdminRequiredMixin, View):
    """Create an office in a process (process_pk) or edit one (pk)."""

    def get(self, request, process_pk=None, pk=None):
        office, process = self.objects(request, process_pk, pk)
        return self.render(request, OfficeForm(instance=office, process=process), process, office)

    def post(self, request, process_pk=None, pk=None):
        office, process = self.objects(request, process_pk, pk)
        form = OfficeForm(request.POST, instance=office, process=process)
        if not form.is_valid():
            return self.render(request, form, process, office, status=400)
        office = form.save()
        messages.success(request, f"Cargo {office.code} guardado.")
        return redirect("processes:detail", pk=process.pk)

    def objects(self, request, process_pk, pk):
        if pk:
            office = get_object_or_404(Office.objects.visible_to(request.user), pk=pk)
            return office, office.process
        return None, visible_process(request, process_pk)

    def render(self, request, form, process, office, status=200):
        context = {"form": form, "process": process, "office": office}
        return render(request, "processes/office_form.html", context, status=status)


class HolidayMixin(PolicyRequiredMixin):
    """OPL administrators keep their entity's holidays; UTVOPL keeps the national ones."""

    policy = policies.can_manage_working_days

    def own_state(self):
        user = self.request.user
        return user.state if policies.can_administer(user) and user.state_id else None

    def own_holidays(self):
        return Holiday.objects.filter(state=self.own_state())


class HolidayList(HolidayMixin, View):
    def get(self, request):
        return self.render(request, HolidayForm(state=self.own_state()))

    def post(self, request):
        state = self.own_state()
        form = HolidayForm(request.POST, state=state)
        if not form.is_valid():
            return self.render(request, form, status=400)
        holiday = form.save(commit=False)
        holiday.state = state
        holiday.save()
        messages.success(request, f"Día inhábil {holiday} registrado.")
        return redirect("processes:holidays")

    def render(self, request, form, status=200):
        state = self.own_state()
        context = {
            "form": form,
            "holidays": self.own_holidays(),
            "national": Holiday.objects.filter(state__isnull=True) if state else None,
            "state": state,
        }
        return render(request, "processes/holidays.html", context, status=status)


class HolidayDelete(HolidayMixin, View):
    def post(self, request, pk):
        holiday = get_object_or_404(self.own_holidays(), pk=pk)
        holiday.delete()
        messages.success(request, f"Día inhábil {holiday} eliminado.")
        return redirect("processes:holidays")
