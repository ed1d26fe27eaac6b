"""Supports, their cédulas, the catalogue of tipos de inconsistencia and each support's history."""

import functools

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from apoyo.accounts.scoping import scoped_manager
from apoyo.core.search import search_text


class Inconsistency(models.Model):
    """A tipo de inconsistencia of the mesa de control. National codes have no state; an OPL may add its own."""

    code = models.CharField("clave", max_length=40, unique=True)
    name = models.CharField("descripción", max_length=200)
    state = models.ForeignKey(
        "geo.State",
        verbose_name="entidad",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="Vacío: tipo del catálogo nacional, visible para todos los OPL.",
    )
    active = models.BooleanField("vigente", default=True)
    needs_confirmation = models.BooleanField(
        "requiere segundo revisor",
        default=False,
        help_text="Un rechazo de este tipo solo vale cuando otro revisor lo confirma.",
    )

    class Meta:
        verbose_name = "tipo de inconsistencia"
        verbose_name_plural = "tipos de inconsistencia"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} – {self.name}"


def inconsistencies_for_state(state_id):
    """The catalogue an OPL works with: the national codes plus its own."""
    return Inconsistency.objects.filter(Q(state__isnull=True) | Q(state=state_id), active=True)


class Channel(models.TextChoices):
    MANUAL = "manual", "Captura manual (OPL)"
    BULK = "bulk", "Carga masiva (OPL)"
    ASPIRANT = "aspirant", "Pre-captura del aspirante"
    APP = "app", "Aplicación móvil"


PAPER_CHANNELS = frozenset({Channel.MANUAL, Channel.BULK, Channel.ASPIRANT})
# Channels whose supports the OPL itself captured: they skip the mesa de control queue.
OPL_CHANNELS = frozenset({Channel.MANUAL, Channel.BULK})


class Status(models.TextChoices):
    """Where a support stands in its review. What each compulsa said of it is its SupportResult in
    that run (valid or a motivo), which a later run may change: the support row is not rewritten
    per run (at a million supports that rewrite cost more than the compulsa itself)."""

    PENDING_REVIEW = "pending_review", "Pendiente de revisión"
    PRELIMINARY = "preliminary", "Preliminar"
    WITHDRAWN = "withdrawn", "Retirado"


def initial_status(channel):
    """What a new support starts as: the OPL's own captures are preliminary at once; the aspirant's
    pre-capture (and the app) wait in the mesa de control queue and never count until accepted."""
    return Status.PRELIMINARY if channel in OPL_CHANNELS else Status.PENDING_REVIEW


class Cedula(models.Model):
    """A paper cédula de apoyo ciudadano; its folio is the número de referencia."""

    aspirant = models.ForeignKey(
        "aspirants.Aspirant",
        verbose_name="aspirante",
        on_delete=models.PROTECT,
        related_name="cedulas",
    )
    reference = models.CharField("número de referencia", max_length=40)
    date = models.DateField("fecha de la cédula")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("registrada", default=timezone.now)

    objects = scoped_manager(
        state_path="aspirant__office__process__state", aspirant_path="aspirant"
    )

    class Meta:
        verbose_name = "cédula de apoyo ciudadano"
        verbose_name_plural = "cédulas de apoyo ciudadano"
        ordering = ["aspirant", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["aspirant", "reference"], name="cedula_unique_reference"
            )
        ]

    def __str__(self):
        return f"Cédula {self.reference}"


NAME_FIELDS = frozenset({"name", "paternal_surname", "maternal_surname"})


# A carga masiva repeats each name part (GARCIA, MARIA) across its rows, rarely the three together:
# each part is normalised once and the parts joined, which equals normalising the joined text (a
# space composes with nothing; tests/test_search_name.py proves it for any text).
_search_part = functools.lru_cache(maxsize=65536)(search_text)


def search_name_of(name, paternal_surname, maternal_surname):
    """Support.search_name of a name: surname first, as core.search.search_text writes it."""
    if not (type(name) is str and type(paternal_surname) is str and type(maternal_surname) is str):
        return search_text(f"{paternal_surname} {maternal_surname} {name}")
    parts = (_search_part(paternal_surname), _search_part(maternal_surname), _search_part(name))
    return " ".join(filter(None, parts))


class Support(models.Model):
    """One citizen's support for one aspirant, whatever channel it came through."""

    # Indexed through the composite indexes below, which start with the aspirant.
    aspirant = models.ForeignKey(
        "aspirants.Aspirant",
        verbose_name="aspirante",
        on_delete=models.PROTECT,
        related_name="supports",
        db_index=False,
    )
    cedula = models.ForeignKey(
        Cedula,
        verbose_name="cédula",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supports",
    )
    channel = models.CharField("canal", max_length=10, choices=Channel.choices)
    name = models.CharField("nombre", max_length=120)
    paternal_surname = models.CharField("apellido paterno", max_length=120, blank=True)
    maternal_surname = models.CharField("apellido materno", max_length=120, blank=True)
    elector_key = models.CharField("clave de elector", max_length=18)
    # The full name as searches read it (core.search: no accents, Ñ as N), surname first as the
    # lists and the roll print it; kept by save() and by the carga masiva's insert (search_name_of).
    # Indexed for prefix search by migration 0012 (the index differs per database). db_default:
    # rows inserted with another column list (the benchmark) still satisfy NOT NULL.
    search_name = models.CharField(
        "nombre para búsqueda",
        max_length=370,
        blank=True,
        default="",
        db_default="",
        editable=False,
    )
    ocr = models.CharField("OCR", max_length=13, blank=True)
    # The app accepts the CIC of credenciales D to H instead of the OCR. db_default: the carga
    # masiva inserts rows with its own column list.
    cic = models.CharField("CIC", max_length=9, blank=True, default="", db_default="")
    # The app's own id of a capture, so that a retried send never stores it twice.
    client_uuid = models.UUIDField("identificador de la captura en la app", null=True, blank=True)
    inconsistency = models.ForeignKey(
        Inconsistency,
        verbose_name="tipo de inconsistencia",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
    )
    comment = models.CharField("comentario", max_length=500, blank=True)
    # What the row rules noticed without refusing it (a clave whose letters or birth date disagree,
    # the same clave twice for the aspirant), one per line, whatever the channel: the mesa de
    # control and the support's page show them.
    warnings = models.TextField("advertencias", blank=True, db_default="", default="")
    support_date = models.DateField("fecha del apoyo")
    # CONTRACT upload_supports, settled cases: a bulk row without FECHA_APOYO has no written
    # date; its support_date is the upload date, never checked against the period, and for
    # first-wins it sorts after every written date. The manual capture and the pre-capture write
    # the cédula's date, the app the capture time: both are written dates. db_default: the carga
    # masiva inserts rows with its own column list.
    date_written = models.BooleanField("fecha escrita", default=True, db_default=True)
    captured_at = models.DateTimeField("capturado", default=timezone.now)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="capturó",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    status = models.CharField("estado", max_length=20, choices=Status.choices)
    withdrawn_at = models.DateTimeField("retirado", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    withdrawal_reason = models.CharField("motivo del retiro", max_length=300, blank=True)
    upload = models.ForeignKey(
        "Upload",
        verbose_name="carga masiva",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supports",
    )

    objects = scoped_manager(
        state_path="aspirant__office__process__state", aspirant_path="aspirant"
    )

    class Meta:
        verbose_name = "apoyo ciudadano"
        verbose_name_plural = "apoyos ciudadanos"
        ordering = ["-captured_at", "-id"]
        constraints = [
            # A withdrawn support stays on record but no longer blocks capturing the row again.
            models.UniqueConstraint(
                fields=["cedula", "elector_key"],
                condition=~Q(status="withdrawn"),
                name="support_unique_in_cedula",
            ),
            # Partial: the other channels' rows (no uuid) cost this index nothing.
            models.UniqueConstraint(
                fields=["client_uuid"],
                condition=Q(client_uuid__isnull=False),
                name="support_unique_client_uuid",
            ),
        ]
        # Few indexes on purpose: every one slows the carga masiva. Lists and counts filter by
        # aspirant first; the compulsa sorts by clave within a run.
        indexes = [
            models.Index(fields=["aspirant", "elector_key"], name="support_aspirant_key"),
            # The mesa de control queue, oldest first; partial, so the OPL's own captures (never
            # pending) cost the carga masiva nothing.
            models.Index(
                fields=["captured_at", "id"],
                condition=Q(status="pending_review"),
                name="support_review_queue",
            ),
            # The lists' order, newest first (Meta.ordering): a page of 50 reads 50 index entries
            # instead of sorting every support of the entity. captured_at grows with time, so the
            # carga masiva appends to its end.
            models.Index(fields=["captured_at", "id"], name="support_newest_first"),
            # One aspirant's supports newest first (the portal, the list filtered by aspirant):
            # without it SQLite reads and sorts every support of the aspirant for a page of 50
            # (2.3 s at 250,000 of them against milliseconds, issue 15).
            models.Index(fields=["aspirant", "captured_at", "id"], name="support_aspirant_newest"),
            # An auxiliary's own captures, newest first (the app's list); partial, so the other
            # channels pay nothing for it.
            models.Index(
                fields=["captured_by", "captured_at"],
                condition=Q(channel="app"),
                name="support_app_by_capturer",
            ),
        ]

    def __str__(self):
        return f"{self.elector_key} ({self.aspirant.code})"

    def save(self, *args, **kwargs):
        """Every write through the model (manual capture, pre-capture, app, correction, ruling)
        keeps search_name with the name it was saved with."""
        self.search_name = search_name_of(self.name, self.paternal_surname, self.maternal_surname)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and NAME_FIELDS.intersection(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    @property
    def reference(self):
        return self.cedula.reference if self.cedula_id else ""

    @property
    def is_paper(self):
        return self.channel in PAPER_CHANNELS

    @property
    def is_withdrawn(self):
        return self.status == Status.WITHDRAWN

    @property
    def is_pending_review(self):
        return self.status == Status.PENDING_REVIEW

    @property
    def warning_list(self):
        return [line for line in self.warnings.splitlines() if line]


class ChangeAction(models.TextChoices):
    CREATED = "created", "Captura"
    CORRECTED = "corrected", "Corrección"
    WITHDRAWN = "withdrawn", "Retiro"
    REVIEW_ACCEPTED = "review_accepted", "Mesa de control: aceptado"
    INCONSISTENCY_RECORDED = "inconsistency", "Mesa de control: inconsistencia"
    REJECTION_PROPOSED = "rejection_proposed", "Mesa de control: rechazo por confirmar"
    REJECTION_CONFIRMED = "rejection_confirmed", "Mesa de control: rechazo confirmado"
    REJECTION_OVERTURNED = "rejection_overturned", "Mesa de control: rechazo no confirmado"
    # The citizen said, through the public consulta ciudadana, that they did not give it.
    CITIZEN_DISOWNED = "citizen_disowned", "Desconocido por la persona ciudadana"


class SupportChange(models.Model):
    """One line of a support's history: who changed what, when, from which value to which."""

    support = models.ForeignKey(Support, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField("fecha y hora", default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="usuario", null=True, on_delete=models.SET_NULL
    )
    action = models.CharField("acción", max_length=20, choices=ChangeAction.choices)
    field = models.CharField("campo", max_length=40, blank=True)
    old_value = models.CharField("valor anterior", max_length=500, blank=True)
    new_value = models.CharField("valor nuevo", max_length=500, blank=True)

    class Meta:
        verbose_name = "cambio de un apoyo"
        verbose_name_plural = "historial de apoyos"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_action_display()} {self.field}"
