"""The OPL administrator's page of upcoming purges of personal data and past ones (in
Administración). Dates and rules in services.py, who may see it in policies.py."""

from django.shortcuts import render
from django.views import View

from apoyo.accounts.permissions import PolicyRequiredMixin
from apoyo.processes.models import Process
from apoyo.retention import services
from apoyo.retention.models import PurgeRecord
from apoyo.retention.policies import can_manage_retention
from apoyo.retention.targets import KINDS

RECORDS_SHOWN = 50


class RetentionView(PolicyRequiredMixin, View):
    policy = can_manage_retention

    def get(self, request):
        processes = Process.objects.visible_to(request.user).order_by("-roll_cut_date", "code")
        records = (
            PurgeRecord.objects.visible_to(request.user)
            .select_related("process", "purged_by")
            .order_by("-purged_at", "-id")[:RECORDS_SHOWN]
        )
        context = {
            "rows": services.schedule(processes),
            "records": [
                (record, [(KINDS.get(kind, kind), n) for kind, n in record.counts.items() if n])
                for record in records
            ],
        }
        return render(request, "retention/index.html", context)
