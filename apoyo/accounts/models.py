from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    OPL_ADMIN = "opl_admin", "Administrador OPL"
    OPL_CAPTURIST = "opl_capturist", "Capturista OPL"
    OPL_REVIEWER = "opl_reviewer", "Revisor OPL"
    ASPIRANT = "aspirant", "Aspirante"
    AUXILIARY = "auxiliary", "Auxiliar"
    INE_DERFE = "ine_derfe", "INE – DERFE"
    INE_UTVOPL = "ine_utvopl", "INE – UTVOPL"
    INE_AREA = "ine_area", "INE – Área"


OPL_ROLES = frozenset({Role.OPL_ADMIN, Role.OPL_CAPTURIST, Role.OPL_REVIEWER})
INE_ROLES = frozenset({Role.INE_DERFE, Role.INE_UTVOPL, Role.INE_AREA})
# Roles whose work is bounded by one entity (state).
STATE_BOUND_ROLES = OPL_ROLES | {Role.ASPIRANT, Role.AUXILIARY}


class User(AbstractUser):
    """A person who logs in. The role says what they do; `state` bounds where (OPL roles)."""

    role = models.CharField("rol", max_length=20, choices=Role.choices)
    state = models.ForeignKey(
        "geo.State",
        verbose_name="entidad",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="Ámbito territorial de los usuarios del OPL.",
    )

    objects = UserManager()

    class Meta:
        verbose_name = "usuario"
        verbose_name_plural = "usuarios"

    def __str__(self):
        return self.get_full_name() or self.username


class AccessLog(models.Model):
    """The bitácora: who saw or exported citizens' personal data, signed in or was refused, and
    when and from where (LGPDPPSO art. 31, security measures).

    Entries are hash-chained in id order: each holds the SHA-256 of the previous entry's hash and
    its own fields, so an entry changed or removed in the database breaks the chain at that point
    (manage.py verify_audit_log). Written only by accounts.audit."""

    # Named by id without a constraint: on SQLite the bitácora is a database of its own
    # (accounts.routers). Deleting a user leaves the id as written, which the chain covers.
    user = models.ForeignKey(
        User, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    # The name as it was when the entry was written: kept if the account is renamed or deleted.
    username = models.CharField("usuario", max_length=150, blank=True)
    at = models.DateTimeField("fecha y hora", default=timezone.now, db_index=True)
    action = models.CharField("acción", max_length=40)
    object_type = models.CharField("tipo de objeto", max_length=40)
    object_id = models.CharField("objeto", max_length=40, blank=True)
    detail = models.CharField("detalle", max_length=300, blank=True)
    address = models.GenericIPAddressField("dirección IP", null=True, blank=True)
    previous_hash = models.CharField("huella anterior", max_length=64, blank=True)
    entry_hash = models.CharField("huella", max_length=64, blank=True)

    class Meta:
        verbose_name = "entrada de la bitácora"
        verbose_name_plural = "bitácora de accesos y seguridad"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["username", "at"], name="accesslog_username_at"),
            models.Index(fields=["object_type", "object_id"], name="accesslog_object"),
            # The bitácora page: its list of actions, one probe per action
            # (audit_views.logged_actions) instead of reading every entry, and the entries of an
            # action newest first. An index on the action alone would have the database gather
            # and sort every entry of a frequent action (2.2 s for 1 of 3 million on SQLite).
            models.Index(fields=["action", "at"], name="accesslog_action_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type} {self.object_id}"


class Notification(models.Model):
    """An in-app notice for one user (the same news usually also goes by e-mail)."""

    user = models.ForeignKey(
        User,
        verbose_name="usuario",
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # notification_user_unread starts with the user
    )
    created_at = models.DateTimeField("fecha", default=timezone.now)
    title = models.CharField("aviso", max_length=200)
    body = models.TextField("detalle", blank=True)
    url = models.CharField("enlace", max_length=300, blank=True)
    read_at = models.DateTimeField("leído", null=True, blank=True)

    class Meta:
        verbose_name = "aviso"
        verbose_name_plural = "avisos"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self):
        return self.title


class ApiToken(models.Model):
    """A token of the capture app's API. Only the SHA-256 of the key is kept: the key
    itself is handed once to the app that logged in, and a stolen database cannot replay it."""

    user = models.ForeignKey(
        User,
        verbose_name="usuario",
        on_delete=models.CASCADE,
        related_name="api_tokens",
        db_index=False,  # api_token_user_active starts with the user
    )
    key_hash = models.CharField("huella SHA-256", max_length=64, unique=True)
    created_at = models.DateTimeField("emitido", default=timezone.now)
    expires_at = models.DateTimeField("vence")
    revoked_at = models.DateTimeField("revocado", null=True, blank=True)
    last_used_at = models.DateTimeField("último uso", null=True, blank=True)
    address = models.GenericIPAddressField("dirección IP al emitirse", null=True, blank=True)

    class Meta:
        verbose_name = "token de la API"
        verbose_name_plural = "tokens de la API"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="api_token_user_active")]

    def __str__(self):
        return f"Token de {self.user} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    def is_expired(self, now=None):
        return (now or timezone.now()) >= self.expires_at
