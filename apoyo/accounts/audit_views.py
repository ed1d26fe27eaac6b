"""Administración → Bitácora: the access and security log of the entity's users, for its OPL
administrators, with filters and CSV/XLSX export (each view and export is itself logged)."""

import datetime

from django import forms
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from apoyo.accounts import policies
from apoyo.accounts.audit import CITIZEN_USER, CLI_USER, log_access
from apoyo.accounts.models import AccessLog, User
from apoyo.accounts.permissions import PolicyRequiredMixin
from apoyo.accounts.routers import audit_database
from apoyo.core.exports import csv_response, xlsx_response
from apoyo.core.pagination import count_up_to, paginate
from apoyo.core.value_lists import as_one_parameter

COLUMNS = ["FECHA_HORA", "USUARIO", "ACCION", "TIPO_OBJETO", "OBJETO", "DETALLE", "DIRECCION_IP"]
# Object types a person looks up by number (a support's or a cédula's history of access).
OBJECT_TYPES = [("", "Cualquiera"), ("apoyo", "Apoyo"), ("cédula", "Cédula")]


class DateInput(forms.DateInput):
    input_type = "date"


class AuditFilterForm(forms.Form):
    person = forms.CharField(label="Persona (usuario)", required=False, max_length=150)
    date_from = forms.DateField(label="Desde", required=False, widget=DateInput())
    date_to = forms.DateField(label="Hasta", required=False, widget=DateInput())
    action = forms.ChoiceField(label="Acción", required=False)
    object_type = forms.ChoiceField(label="Objeto", required=False, choices=OBJECT_TYPES)
    object_id = forms.CharField(label="Número del objeto", required=False, max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Todas")] + [(a, a) for a in logged_actions()]


# The bitácora keeps five years of entries (APOYO_AUDIT_RETENTION_DAYS): millions. Its page
# counts and lists at most this many per filter, the most recent; the exports hold them all.
LISTED_ENTRIES = 10_000
# Each next value is the smallest one after the last: one probe of the index that the column
# leads (accesslog_action_at, accesslog_username_at) per distinct value, where SELECT DISTINCT
# reads every entry (0.7 s at 3 million on SQLite).
DISTINCT_SQL = f"""
WITH RECURSIVE logged(value) AS (
    SELECT MIN({{column}}) FROM {AccessLog._meta.db_table}
    UNION ALL
    SELECT (SELECT MIN({{column}}) FROM {AccessLog._meta.db_table} WHERE {{column}} > logged.value)
    FROM logged WHERE logged.value IS NOT NULL
)
SELECT value FROM logged WHERE value IS NOT NULL
"""  # noqa: S608 - the model's table and a constant column name


def logged_values(column):
    """Every distinct action or username in the bitácora (of every entity: the code's words, or
    names that only narrow a filter of the entity's entries)."""
    with connections[audit_database()].cursor() as cursor:
        cursor.execute(DISTINCT_SQL.format(column=column))  # a constant column name
        return [value for (value,) in cursor.fetchall()]


def logged_actions():
    # Sorted here: PostgreSQL orders by the database's collation.
    return sorted(logged_values("action"))


def person_entries(entries, text):
    """Entries of the usernames that contain `text`, whatever its case. The usernames are found
    first: none found answers at once, and one is read newest first from its index, where a
    filter on part of the name tests every entry (1.2 s at 3 million when none matches)."""
    wanted = text.strip().casefold()
    names = [name for name in logged_values("username") if wanted in name.casefold()]
    if len(names) == 1:
        return entries.filter(username=names[0])
    # One parameter, however many: a password spray leaves a made-up username per attempt.
    vendor = connections[audit_database()].vendor
    return entries.filter(username__in=as_one_parameter(names, vendor, "text"))


def entity_entries(user):
    """Entries of the administrator's entity: its users' own, failed sign-ins with their
    usernames, the command line's (run by the institute's operators) and the public consulta
    ciudadana's (no entity: an unmatched query belongs to none; they hold no clave, only its
    keyed hash)."""
    ids, usernames = entity_users(user)
    return AccessLog.objects.filter(
        Q(user__in=ids)
        | Q(user__isnull=True, username__in=usernames)
        | Q(username__startswith=CLI_USER)
        | Q(user__isnull=True, username=CITIZEN_USER)
    )


def entity_users(user):
    """(ids, usernames) of the users of the administrator's entity: subqueries where the
    bitácora shares the database, else the values, read in one query (on SQLite the bitácora is
    a file of its own, which a query cannot join to the main one)."""
    users = User.objects.filter(state=user.state_id)
    if audit_database() == DEFAULT_DB_ALIAS:
        return users.values("id"), users.values("username")
    pairs = list(users.values_list("id", "username"))
    return [pk for pk, _ in pairs], [username for _, username in pairs]


def filtered(entries, data):
    if data.get("person"):
        entries = person_entries(entries, data["person"])
    if data.get("date_from"):
        entries = entries.filter(at__gte=start_of(data["date_from"]))
    if data.get("date_to"):
        entries = entries.filter(at__lt=start_of(data["date_to"] + datetime.timedelta(days=1)))
    if data.get("action"):
        entries = entries.filter(action=data["action"])
    if data.get("object_type"):
        entries = entries.filter(object_type=data["object_type"])
    if data.get("object_id"):
        entries = entries.filter(object_id=data["object_id"].strip())
    return entries


def start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def export_rows(entries):
    for entry in entries.iterator():
        yield [
            timezone.localtime(entry.at),
            entry.username,
            entry.action,
            entry.object_type,
            entry.object_id,
            entry.detail,
            entry.address or "",
        ]


class AuditLogView(PolicyRequiredMixin, View):
    policy = policies.can_read_audit_log

    def get(self, request, fmt=None):
        form = AuditFilterForm(data=request.GET or None)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        entries = filtered(entity_entries(request.user), data).order_by("-at", "-id")
        if fmt is not None:
            return self.export(request, entries, fmt)
        log_access(request, "ver", "bitácora", detail=request.GET.urlencode())
        count, capped = count_up_to(entries, LISTED_ENTRIES)
        context = {
            "form": form,
            "page": paginate(request, entries, count=count, capped=capped),
            "capped": count if capped else None,
            "query": request.GET.urlencode(),
        }
        return render(request, "accounts/audit_log.html", context)

    def export(self, request, entries, fmt):
        if fmt not in ("csv", "xlsx"):
            raise Http404
        log_access(request, "exportar", "bitácora", detail=f"{fmt} {request.GET.urlencode()}")
        name = f"bitacora-{timezone.localdate():%Y%m%d}"
        if fmt == "csv":
            return csv_response(f"{name}.csv", COLUMNS, export_rows(entries))
        return xlsx_response(f"{name}.xlsx", [("Bitácora", COLUMNS, export_rows(entries))])
