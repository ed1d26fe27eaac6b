"""The retention of a process's personal data and its purge (DESIGN.md "Security and personal
data": files and personal data expire with the process's retention period; LGPDPPSO art. 23, data
kept no longer than its purpose needs).

A process's personal data is kept `retention_days` after the day its dictámenes became final
(Process.rulings_final_on, entered by the OPL administrator). Then `purge_personal_data` deletes
the images and files and empties the personal fields (targets.py), keeping the clave's keyed hash,
each support's outcome and motivo and the counts; every dictamen must verify before and after
(verify.py), and the purge is recorded (PurgeRecord) and written to the bitácora.
"""

import datetime
import logging
from functools import partial

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from apoyo.accounts.audit import record as audit_record
from apoyo.processes.models import Office, Process
from apoyo.retention import targets
from apoyo.retention.models import PurgeRecord
from apoyo.retention.policies import can_manage_retention
from apoyo.retention.verify import verify_process_rulings
from apoyo.verification.models import Ruling

logger = logging.getLogger(__name__)

AUDIT_ACTION = "supresión de datos personales"


class PurgeRefused(Exception):
    """The process cannot be purged now; `reasons` say why, in Spanish."""

    def __init__(self, reasons):
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def purge_date(process):
    """The first day the process's personal data may be purged, or None while its dictámenes are
    not final."""
    if process.rulings_final_on is None:
        return None
    return process.rulings_final_on + datetime.timedelta(days=process.retention_days)


def blockers(process, today=None):
    """Why the process cannot be purged on `today` (Spanish sentences; empty: it can)."""
    if process.personal_data_purged_at:
        when = timezone.localtime(process.personal_data_purged_at)
        return [f"Los datos personales de este proceso ya se suprimieron el {when:%d/%m/%Y}."]
    found = ruling_blockers(process)
    due = purge_date(process)
    if due and (today or timezone.localdate()) < due:
        found.append(
            f"El periodo de conservación de {process.retention_days} días termina el "
            f"{due:%d/%m/%Y}; antes de esa fecha no se suprime nada."
        )
    return found


def ruling_blockers(process):
    """Every office with supports needs its dictamen in force, final by the process's date, and
    every dictamen of the process must verify."""
    final = process.rulings_final_on
    if final is None:
        return [
            "Los dictámenes del proceso aún no están firmes: registre la fecha en que quedaron "
            "firmes al editar el proceso."
        ]
    found = []
    in_force = {
        ruling.office_id: ruling
        for ruling in Ruling.objects.filter(office__process=process, superseded_by__isnull=True)
    }
    offices = Office.objects.filter(process=process, aspirants__supports__isnull=False)
    for office in offices.distinct().order_by("code"):
        ruling = in_force.get(office.pk)
        if ruling is None:
            found.append(f"El cargo {office.code} no tiene dictamen.")
        elif timezone.localdate(ruling.generated_at) > final:
            found.append(
                f"El dictamen N.º {ruling.pk} del cargo {office.code} es posterior al "
                f"{final:%d/%m/%Y}, fecha en que los dictámenes quedaron firmes: aún no es firme."
            )
    for entry in verify_process_rulings(process):
        if entry["problems"]:
            found.append(
                f"El dictamen N.º {entry['number']} no se puede verificar: "
                f"{'; '.join(entry['problems'])}."
            )
    return found


def plan(process, today=None):
    """What a purge of the process would remove ({kind: rows}) and why it cannot run now."""
    return targets.counts(process), blockers(process, today)


def purge_personal_data(process, user=None, operator="", today=None):
    """Purge the process's personal data (module docstring) in one transaction: refused with
    PurgeRefused while `blockers` finds a reason, or when a dictamen fails to verify afterwards
    (nothing is then changed). The files go once the transaction commits. `user`, when given, must
    be an administrator of the process's entity; `operator` says who ran it otherwise."""
    if user is not None and not can_manage_retention(user, process):
        raise PurgeRefused(["Solo un administrador del OPL de la entidad puede suprimir datos."])
    with transaction.atomic():
        process = Process.objects.select_for_update().get(pk=process.pk)
        found = blockers(process, today)
        if found:
            raise PurgeRefused(found)
        querysets = targets.querysets(process)
        counts = {kind: querysets[kind].count() for kind in targets.KINDS}
        names = targets.file_names(querysets)
        targets.empty_rows(querysets)
        rulings = verify_process_rulings(process)
        failed = [entry for entry in rulings if entry["problems"]]
        if failed:
            raise PurgeRefused(
                [f"El dictamen N.º {entry['number']} dejaría de verificarse." for entry in failed]
            )
        record = write_record(process, user, operator, counts, rulings)
        transaction.on_commit(partial(delete_files, names))
    return record


def write_record(process, user, operator, counts, rulings):
    now = timezone.now()
    Process.objects.filter(pk=process.pk).update(personal_data_purged_at=now)
    who = user.username if user is not None else operator
    record = PurgeRecord.objects.create(
        process=process,
        purged_at=now,
        purged_by=user,
        operator=who[:150],
        rulings_final_on=process.rulings_final_on,
        retention_days=process.retention_days,
        counts=counts,
        rulings=[{key: entry[key] for key in ("number", "office", "sha256")} for entry in rulings],
    )
    detail = ", ".join(f"{kind}: {n}" for kind, n in counts.items() if n)
    audit_record(user, AUDIT_ACTION, "proceso", process.pk, detail, username=who)
    return record


def delete_files(names):
    """Delete the purged files; one that cannot be deleted is logged (and may be deleted by
    hand: its row is already gone or emptied)."""
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.exception("Could not delete purged file %s", name)


def schedule(processes, today=None):
    """One row per process for the retention page: the dates, where it stands, what a purge would
    remove ([(label, rows)], kinds with rows only) and why it cannot run yet."""
    today = today or timezone.localdate()
    rows = []
    for process in processes:
        counts, reasons = plan(process, today)
        due = purge_date(process)
        rows.append(
            {
                "process": process,
                "final_on": process.rulings_final_on,
                "retention_days": process.retention_days,
                "purge_date": due,
                "status": status_label(process, due, reasons, today),
                "counts": [(targets.KINDS[kind], n) for kind, n in counts.items() if n],
                "reasons": reasons,
            }
        )
    return rows


def status_label(process, due, reasons, today):
    if process.personal_data_purged_at:
        return "Suprimidos"
    if due is None:
        return "En espera de dictámenes firmes"
    if today < due:
        return "Programada"
    return "Detenida" if reasons else "Lista para suprimir"
