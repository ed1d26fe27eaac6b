"""SIVOPLE: consultations and documents an OPL sends to INE, their assignment to INE areas and answers.

Who sees what is decided here (`visible_to`), who may do what in policies.py.
"""

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from apoyo.accounts.policies import signed_in
from apoyo.accounts.scoping import ScopedQuerySet
from apoyo.liaison import policies


class DocumentType(models.Model):
    """Configurable catalogue: CONSULTA, SOLICITUD, DOCUMENTO, INFORME... The code heads the folio."""

    code = models.CharField(
        "clave",
        max_length=20,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Z]+$", "Use solo letras mayúsculas, sin espacios ni acentos.")
        ],
        help_text="Mayúsculas sin espacios; encabeza el folio (CONSULTA/SON/2020/1).",
    )
    name = models.CharField("nombre", max_length=80)
    due_days = models.PositiveSmallIntegerField(
        "plazo de atención (días hábiles)",
        default=10,
        validators=[MinValueValidator(1)],
        help_text="Días hábiles que tiene el área para responder, contados desde el día hábil "
        "siguiente al turno.",
    )
    active = models.BooleanField("activo", default=True)

    class Meta:
        verbose_name = "tipo de documento"
        verbose_name_plural = "tipos de documento"
        ordering = ["code"]

    def __str__(self):
        return self.code


class Area(models.Model):
    """An INE unit consultations are assigned to (DERFE, DEPPP, UTVOPL...)."""

    code = models.CharField("siglas", max_length=20, unique=True)
    name = models.CharField("nombre", max_length=200)
    active = models.BooleanField("activa", default=True)

    class Meta:
        verbose_name = "área"
        verbose_name_plural = "áreas"
        ordering = ["code"]

    def __str__(self):
        return self.code


class AreaMember(models.Model):
    """A user of an INE area; the head (titular) approves the area's answers."""

    area = models.ForeignKey(
        Area, verbose_name="área", on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="usuario",
        on_delete=models.CASCADE,
        related_name="area_memberships",
    )
    is_head = models.BooleanField("titular", default=False)

    class Meta:
        verbose_name = "integrante de área"
        verbose_name_plural = "integrantes de área"
        ordering = ["area", "-is_head", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["area", "user"], name="area_member_unique"),
        ]

    def __str__(self):
        return f"{self.user} ({self.area}{', titular' if self.is_head else ''})"


class FolioCounter(models.Model):
    """The last folio number given per type, entity and year; see folios.next_folio."""

    doc_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="+")
    state = models.ForeignKey("geo.State", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["doc_type", "state", "year"], name="folio_counter_unique"
            ),
        ]

    def __str__(self):
        return f"{self.doc_type_id}/{self.state_id}/{self.year}: {self.last}"


class Status(models.TextChoices):
    REGISTERED = "registered", "Por turnar"
    ASSIGNED = "assigned", "En atención"
    ANSWERED = "answered", "Respuesta por remitir"
    FORWARDED = "forwarded", "Respondida"
    CLOSED = "closed", "Concluida"


STATUS_BADGES = {
    Status.REGISTERED: "pending_review",
    Status.ASSIGNED: "preliminary",
    Status.ANSWERED: "pending_review",
    Status.FORWARDED: "valid",
    Status.CLOSED: "checked",
}


class ConsultationQuerySet(ScopedQuerySet):
    state_path = "state"

    def visible_to(self, user):
        """UTVOPL: all; area users: what is assigned (actively) to one of their areas; OPL users:
        their entity (ScopedQuerySet); anyone else: nothing."""
        desk = policies.desk(user)
        if desk == policies.LIAISON_UNIT:
            return self
        if desk == policies.AREA:
            assigned = Assignment.objects.filter(active=True, area__members__user=user)
            return self.filter(pk__in=assigned.values("consultation"))
        return super().visible_to(user)


class Consultation(models.Model):
    """A consultation or document an OPL registers, tracked by its SIVOPLE folio."""

    folio = models.CharField("folio SIVOPLE", max_length=60, unique=True)
    doc_type = models.ForeignKey(
        DocumentType, verbose_name="tipo de documento", on_delete=models.PROTECT
    )
    state = models.ForeignKey(
        "geo.State", verbose_name="entidad", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("año")
    number = models.PositiveIntegerField("consecutivo")
    opl_folio = models.CharField(
        "folio del documento del OPL",
        max_length=60,
        help_text="El número de oficio del OPL, por ejemplo IEE-PRESI-137-2020.",
    )
    subject = models.CharField("asunto", max_length=200)
    description = models.TextField("descripción")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="registró",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("fecha y hora de registro", default=timezone.now)
    status = models.CharField(
        "estado", max_length=12, choices=Status.choices, default=Status.REGISTERED
    )
    closed_at = models.DateTimeField("concluida", null=True, blank=True)
    # The OPL's read receipt: when a user of INE (UTVOPL or an area) first opened the folio.
    ine_read_at = models.DateTimeField("leída por el INE", null=True, blank=True)
    ine_read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="la abrió",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = "consulta o documento"
        verbose_name_plural = "consultas y documentos"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["doc_type", "state", "year", "number"], name="consultation_unique_number"
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="consultation_status")]

    def __str__(self):
        return self.folio

    @property
    def badge(self):
        """The CSS badge class (apoyo.css) that colours this status."""
        return STATUS_BADGES[self.status]


class Assignment(models.Model):
    """A consultation turned to an INE area, with its due date. Reassignment ends it (active=False)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="assignments"
    )
    area = models.ForeignKey(
        Area, verbose_name="área", on_delete=models.PROTECT, related_name="assignments"
    )
    instruction = models.TextField("instrucción", blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="turnó",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField("fecha del turno", default=timezone.now)
    due_date = models.DateField("fecha límite")
    # Set when the area's answer reaches the OPL; a follow-up clears it and sets a new due date.
    answered_at = models.DateTimeField("respondido", null=True, blank=True)
    active = models.BooleanField("vigente", default=True)
    ended_at = models.DateTimeField("reasignado el", null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    end_reason = models.CharField("motivo de la reasignación", max_length=500, blank=True)

    class Meta:
        verbose_name = "turno"
        verbose_name_plural = "turnos"
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "area"],
                condition=Q(active=True),
                name="assignment_one_active_per_area",
            ),
        ]

    def __str__(self):
        return f"{self.consultation} → {self.area}"

    @property
    def pending(self):
        return self.active and self.answered_at is None

    def is_overdue(self, today=None):
        return self.pending and self.due_date < (today or timezone.localdate())


class AnswerStatus(models.TextChoices):
    DRAFT = "draft", "Proyecto"
    APPROVED = "approved", "Aprobada por el titular"
    RETURNED = "returned", "Devuelta con observaciones"
    FORWARDED = "forwarded", "Remitida al OPL"


# Answers the area may still edit and the head may approve.
EDITABLE_ANSWER = frozenset({AnswerStatus.DRAFT, AnswerStatus.RETURNED})


class AnswerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The OPL sees forwarded answers of its entity; UTVOPL those the area approved (and what
        became of them); area users every answer of their areas and the forwarded ones of the
        consultations they see."""
        if not signed_in(user):
            return self.none()
        # Asked before the desk: a superuser sits at the unit's, which would hide the drafts.
        if user.is_superuser:
            return self
        desk = policies.desk(user)
        if desk == policies.OPL:
            return self.filter(status=AnswerStatus.FORWARDED, consultation__state=user.state_id)
        if desk == policies.LIAISON_UNIT:
            return self.exclude(status=AnswerStatus.DRAFT)
        if desk == policies.AREA:
            visible = Consultation.objects.visible_to(user)
            return self.filter(
                Q(area__members__user=user)
                | Q(status=AnswerStatus.FORWARDED, consultation__in=visible)
            ).distinct()
        return self.none()


class Answer(models.Model):
    """An area's answer: drafted by its users, approved by its head, forwarded by UTVOPL."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="answers")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="answers")
    area = models.ForeignKey(Area, verbose_name="área", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("respuesta")
    ine_folio = models.CharField(
        "número de oficio del INE",
        max_length=60,
        blank=True,
        help_text="Opcional: el oficio con que el área responde, por ejemplo INE/DERFE/0452/2020.",
    )
    status = models.CharField(
        "estado", max_length=10, choices=AnswerStatus.choices, default=AnswerStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="redactó",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("redactada", default=timezone.now)
    updated_at = models.DateTimeField("modificada", default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField("aprobada", null=True, blank=True)
    return_comments = models.TextField("observaciones de la UTVOPL", blank=True)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    forwarded_at = models.DateTimeField("remitida", null=True, blank=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = "respuesta"
        verbose_name_plural = "respuestas"
        ordering = ["created_at", "pk"]
        constraints = [
            # One answer in progress per assignment; forwarded ones stay as history.
            models.UniqueConstraint(
                fields=["assignment"],
                condition=~Q(status="forwarded"),
                name="answer_one_open_per_assignment",
            ),
        ]

    def __str__(self):
        return f"Respuesta de {self.area} a {self.consultation}"

    @property
    def editable(self):
        return self.status in EDITABLE_ANSWER


class FollowUp(models.Model):
    """A further question of the OPL on the same folio after an answer."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="follow_ups"
    )
    text = models.TextField("seguimiento")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("fecha", default=timezone.now)
    # The OPL's read receipt of the follow-up: when a user of INE first opened the folio after it.
    ine_read_at = models.DateTimeField("leído por el INE", null=True, blank=True)

    class Meta:
        verbose_name = "seguimiento"
        verbose_name_plural = "seguimientos"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Seguimiento de {self.consultation}"


class Attachment(models.Model):
    """A file of a consultation, a follow-up or an answer, kept through the storage API and
    served only by the permission-checked download view."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="attachments"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    follow_up = models.ForeignKey(
        FollowUp, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("archivo", upload_to="sivople/%Y/%m/")
    original_name = models.CharField("nombre del archivo", max_length=255)
    kind = models.CharField("tipo", max_length=10)
    size = models.PositiveBigIntegerField("tamaño (bytes)")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("cargado", default=timezone.now)

    class Meta:
        verbose_name = "anexo"
        verbose_name_plural = "anexos"
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class EventKind(models.TextChoices):
    REGISTERED = "registered", "Registro"
    ASSIGNED = "assigned", "Turno a área"
    NOTIFIED = "notified", "Notificación"
    REASSIGNED = "reassigned", "Reasignación"
    DRAFTED = "drafted", "Proyecto de respuesta"
    ANSWERED = "answered", "Respuesta del área"
    RETURNED = "returned", "Devuelta al área"
    FORWARDED = "forwarded", "Respuesta remitida al OPL"
    FOLLOW_UP = "follow_up", "Seguimiento del OPL"
    READ = "read", "Leída por el INE"
    CLOSED = "closed", "Conclusión"


# Steps of INE's internal work the OPL does not see in its timeline.
INTERNAL_EVENTS = frozenset({EventKind.DRAFTED, EventKind.RETURNED})


class Event(models.Model):
    """One line of a folio's timeline."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("fecha y hora", default=timezone.now)
    kind = models.CharField("evento", max_length=12, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="usuario",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    area = models.ForeignKey(
        Area, verbose_name="área", null=True, blank=True, on_delete=models.SET_NULL
    )
    detail = models.TextField("detalle", blank=True)

    class Meta:
        verbose_name = "evento"
        verbose_name_plural = "eventos"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.consultation} {self.get_kind_display()}"
