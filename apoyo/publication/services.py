"""Publishing a compulsa's figures and finding what is public (issue 17, section 2).

Rules:
- Only a finished compulsa (status "Terminada") can be published; the OPL administrator of its
  entity decides when (policies.can_publish), and may withdraw it.
- The public pages and the open data read only runs with a publication in force: a run never
  published, or withdrawn, never shows, whatever its figures.
- "The current published compulsa" of an office is its newest published run (by when it
  finished), which need not be the newest run: the OPL may hold back a later one.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from apoyo.processes.models import Office
from apoyo.publication import policies
from apoyo.publication.models import Publication
from apoyo.verification.models import CheckRun, RunStatus


class PublicationRefused(Exception):
    """A run that cannot be published (not finished); the message is for the administrator."""


def in_force():
    return Publication.objects.active()


def published_runs(office):
    """The office's finished runs with a publication in force, oldest first (the chart's order)."""
    public = in_force().filter(run=OuterRef("pk"))
    runs = CheckRun.objects.filter(office=office, status=RunStatus.DONE).filter(Exists(public))
    return runs.order_by("finished_at", "id")


def current_published_run(office):
    return published_runs(office).order_by("-finished_at", "-id").first()


def offices_with_figures():
    """Every office with at least one published run, by process and code (the public index)."""
    public = in_force().filter(run__office=OuterRef("pk"), run__status=RunStatus.DONE)
    offices = Office.objects.filter(Exists(public)).select_related("process__state")
    return offices.order_by("process__state_id", "process__code", "code")


def publication_of(run):
    """The run's publication in force, or None."""
    return in_force().filter(run=run).select_related("published_by").first()


def publish_figures(user, run):
    """Make the run's figures public. Returns (publication, created): publishing a run already
    public changes nothing. Refused (PermissionDenied) to anyone but the administrators of the
    run's entity; PublicationRefused for a run that has not finished well."""
    if not policies.can_publish(user, run):
        raise PermissionDenied("Solo la administración del OPL de la entidad publica cifras.")
    if run.status != RunStatus.DONE:
        raise PublicationRefused("Solo se publican las cifras de una compulsa terminada.")
    with transaction.atomic():
        # Locks the run's row, so two administrators publishing at once make one publication.
        list(CheckRun.objects.select_for_update().filter(pk=run.pk).values_list("pk"))
        current = publication_of(run)
        if current is not None:
            return current, False
        return Publication.objects.create(run=run, published_by=user), True


def withdraw_publication(user, run):
    """Take the run's figures off the public pages and the open data. Returns the publication
    withdrawn, or None when the run was not public."""
    if not policies.can_publish(user, run):
        raise PermissionDenied("Solo la administración del OPL de la entidad retira cifras.")
    with transaction.atomic():
        current = in_force().select_for_update().filter(run=run).first()
        if current is None:
            return None
        current.withdrawn_at = timezone.now()
        current.withdrawn_by = user
        current.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return current
