"""The filtered list of folios as a file."""

import datetime

from django.http import Http404
from django.utils import timezone
from django.views import View

from apoyo.accounts.audit import log_access
from apoyo.core.exports import csv_response, xlsx_response
from apoyo.liaison.deadlines import folio_deadline, non_working_days
from apoyo.liaison.forms import FilterForm
from apoyo.liaison.inbox import consultations_for, filter_consultations
from apoyo.liaison.views.common import SivopleMixin
from apoyo.processes.models import Institute

EXPORT_HEADER = [
    "Folio SIVOPLE",
    "Folio del documento del OPL",
    "Tipo",
    "Entidad",
    "OPL",
    "Asunto",
    "Descripción",
    "Estado",
    "Fecha y hora de registro",
    "Áreas",
    "Fecha límite",
    "Plazo",
    "Concluida",
]


class ExportView(SivopleMixin, View):
    """The filtered list as CSV or XLSX (cells protected against formula injection)."""

    def get(self, request, fmt):
        if fmt not in {"csv", "xlsx"}:
            raise Http404
        form = FilterForm(request.user, data=request.GET or None)
        consultations = consultations_for(request.user).order_by("created_at", "pk")
        if form.is_valid():
            consultations = filter_consultations(consultations, form.cleaned_data)
        today = timezone.localdate()
        holidays = non_working_days(today)
        names = dict(Institute.objects.values_list("state_id", "name"))
        cell = (lambda value: value) if fmt == "xlsx" else csv_text
        rows = (
            [cell(value) for value in export_row(c, names, today, holidays)]
            for c in consultations.iterator(chunk_size=500)
        )
        filename = f"sivople-{today:%Y%m%d}"
        log_access(
            request, "exportar", "consultas SIVOPLE", detail=f"{fmt} {request.GET.urlencode()}"
        )
        if fmt == "xlsx":
            return xlsx_response(f"{filename}.xlsx", [("Consultas", EXPORT_HEADER, rows)])
        return csv_response(f"{filename}.csv", EXPORT_HEADER, rows)


def export_row(consultation, names, today, holidays):
    """One folio as the list shows it: the due date is kept once every area answered, and the
    "Plazo" column says in words whether it is on time, due soon, late, or was answered in time."""
    deadline = folio_deadline(consultation, today, holidays)
    return [
        consultation.folio,
        consultation.opl_folio,
        consultation.doc_type.code,
        consultation.state.abbreviation,
        names.get(consultation.state_id, ""),
        consultation.subject,
        consultation.description,
        consultation.get_status_display(),
        consultation.created_at,
        ", ".join(a.area.code for a in consultation.current_assignments),
        deadline.due if deadline else None,
        deadline.text if deadline else "",
        consultation.closed_at,
    ]


def csv_text(value):
    """A CSV cell of a date or time as the page shows it, in local time (the XLSX writes real
    date cells, also in local time); any other value as it is."""
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    return value
