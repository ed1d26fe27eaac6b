import math
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apoyo.accounts.scoping import scoped_manager

# What the dictamen cites when a process says nothing else (DOMAIN.md: LGIPE 371 sets the support
# and dispersion, 383 to 385 the collection, its checks and the garantía de audiencia).
DEFAULT_LEGAL_BASIS = (
    "Con fundamento en los artículos 35, fracción II, y 116, fracción IV, inciso p), de la "
    "Constitución Política de los Estados Unidos Mexicanos; 371 y 383 a 385 de la Ley General de "
    "Instituciones y Procedimientos Electorales, y en las disposiciones aplicables de la ley "
    "electoral local y de los lineamientos de candidaturas independientes de este Instituto."
)


class Institute(models.Model):
    """An entity's OPL as its documents name it: the name, the heading of the dictamen and an
    optional logo."""

    state = models.OneToOneField(
        "geo.State", verbose_name="entidad", primary_key=True, on_delete=models.CASCADE
    )
    name = models.CharField("nombre", max_length=200)
    heading = models.CharField(
        "encabezado de los documentos",
        max_length=300,
        blank=True,
        help_text="Por ejemplo, el área que emite el dictamen. Vacío: solo el nombre.",
    )
    logo = models.FileField("logotipo (PNG o JPEG)", upload_to="institutos/", blank=True)

    class Meta:
        verbose_name = "Organismo Público Local"
        verbose_name_plural = "Organismos Públicos Locales"
        ordering = ["state"]

    def __str__(self):
        return self.name


class Process(models.Model):
    """An electoral process of one entity, e.g. Proceso Electoral Local 2020-2021 in Sonora."""

    code = models.CharField("clave", max_length=30, unique=True)
    name = models.CharField("nombre", max_length=200)
    state = models.ForeignKey("geo.State", verbose_name="entidad", on_delete=models.PROTECT)
    roll_cut_date = models.DateField(
        "fecha de corte de la Lista Nominal",
        null=True,
        blank=True,
        help_text="Normalmente el 31 de agosto del año previo a la elección.",
    )
    # Régimen de excepción: when off, paper cédulas are accepted from the whole territory.
    has_paper_regime = models.BooleanField(
        "aplica régimen de excepción",
        default=False,
        help_text="Si se activa, los apoyos en papel solo valen en los municipios y secciones listados.",
    )
    paper_regime_municipalities = models.ManyToManyField(
        "geo.Municipality",
        verbose_name="municipios del régimen de excepción",
        blank=True,
        related_name="+",
    )
    paper_regime_sections = models.ManyToManyField(
        "geo.Section",
        verbose_name="secciones del régimen de excepción",
        blank=True,
        related_name="+",
    )

    legal_basis = models.TextField(
        "fundamento legal del dictamen",
        default=DEFAULT_LEGAL_BASIS,
        help_text="Se imprime en el dictamen de cada cargo del proceso.",
    )
    # Retention of personal data (apoyo.retention, README "Conservación y supresión de datos
    # personales"): counted from the day the dictámenes became final.
    rulings_final_on = models.DateField(
        "fecha en que los dictámenes quedaron firmes",
        null=True,
        blank=True,
        help_text="Cuando ya no hay impugnación pendiente contra los dictámenes del proceso. "
        "Vacío: aún no están firmes y los datos personales se conservan.",
    )
    retention_days = models.PositiveIntegerField(
        "días de conservación de los datos personales",
        default=365,
        validators=[MinValueValidator(1)],
        help_text="Días después de que los dictámenes quedan firmes; pasado ese plazo se suprimen "
        "las imágenes, los archivos y los datos personales de los apoyos.",
    )
    personal_data_purged_at = models.DateTimeField(
        "datos personales suprimidos", null=True, blank=True, editable=False
    )

    objects = scoped_manager(state_path="state")

    class Meta:
        verbose_name = "proceso electoral"
        verbose_name_plural = "procesos electorales"
        ordering = ["-roll_cut_date", "code"]

    def __str__(self):
        return self.name


class ScopeType(models.TextChoices):
    STATE = "state", "Entidad"
    MUNICIPALITY = "municipality", "Municipio"
    LOCAL_DISTRICT = "local_district", "Distrito local"
    FEDERAL_DISTRICT = "federal_district", "Distrito federal"


class DispersionUnit(models.TextChoices):
    STATE = "state", "Entidad"
    MUNICIPALITY = "municipality", "Municipio"
    LOCAL_DISTRICT = "local_district", "Distrito local"
    FEDERAL_DISTRICT = "federal_district", "Distrito federal"
    SECTION = "section", "Sección"


# How a section reaches the unit of each scope or dispersion type.
SECTION_FIELD_BY_UNIT = {
    "state": "state__number",
    "municipality": "municipality__number",
    "local_district": "local_district__number",
    "federal_district": "federal_district__number",
    "section": "number",
}


class Office(models.Model):
    """A cargo sought in a process: its territory (ámbito), collection period and threshold."""

    process = models.ForeignKey(
        Process, verbose_name="proceso", on_delete=models.PROTECT, related_name="offices"
    )
    code = models.CharField("clave", max_length=30)
    name = models.CharField("nombre", max_length=200)
    scope_type = models.CharField("ámbito", max_length=20, choices=ScopeType.choices)
    scope_number = models.PositiveIntegerField(
        "número del ámbito",
        null=True,
        blank=True,
        help_text="Clave INE del municipio o número del distrito; vacío para la entidad.",
    )
    collection_start = models.DateField("inicio de la obtención de apoyo")
    collection_end = models.DateField("fin de la obtención de apoyo")
    threshold_percent = models.DecimalField(
        "porcentaje de apoyo requerido",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    dispersion_unit = models.CharField(
        "unidad de dispersión", max_length=20, choices=DispersionUnit.choices, blank=True
    )
    dispersion_min_units = models.PositiveIntegerField("unidades mínimas", null=True, blank=True)
    dispersion_min_units_fraction = models.DecimalField(
        "fracción mínima de unidades",
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text="Por ejemplo 0.5 para la mitad de las unidades del ámbito.",
    )
    dispersion_min_percent = models.DecimalField(
        "porcentaje mínimo por unidad",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    objects = scoped_manager(state_path="process__state")

    class Meta:
        verbose_name = "cargo"
        verbose_name_plural = "cargos"
        ordering = ["process", "code"]
        constraints = [
            models.UniqueConstraint(fields=["process", "code"], name="office_unique_code"),
            models.CheckConstraint(
                condition=models.Q(collection_end__gte=models.F("collection_start")),
                name="office_period_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.scope_type == ScopeType.STATE:
            self.scope_number = None
        elif self.scope_number is None:
            errors["scope_number"] = "Indique la clave del municipio o el número del distrito."
        start, end = self.collection_start, self.collection_end
        if start and end and end < start:
            errors["collection_end"] = "El fin del periodo no puede ser anterior al inicio."
        if self.dispersion_unit:
            has_min_units = self.dispersion_min_units is not None
            has_fraction = self.dispersion_min_units_fraction is not None
            if has_min_units == has_fraction:
                errors["dispersion_min_units"] = (
                    "Indique las unidades mínimas o la fracción mínima de unidades (solo una)."
                )
            if self.dispersion_min_percent is None:
                errors["dispersion_min_percent"] = "Indique el porcentaje mínimo por unidad."
        if errors:
            raise ValidationError(errors)

    @property
    def has_dispersion_rule(self):
        return bool(self.dispersion_unit)

    def in_collection_period(self, day):
        return self.collection_start <= day <= self.collection_end

    def territory_sections(self):
        """The sections inside this office's ámbito."""
        from apoyo.geo.models import Section

        sections = Section.objects.filter(state=self.process.state_id)
        if self.scope_type == ScopeType.STATE:
            return sections
        return sections.filter(**{SECTION_FIELD_BY_UNIT[self.scope_type]: self.scope_number})

    def scope_label(self):
        if self.scope_type == ScopeType.STATE:
            return str(self.process.state)
        return f"{self.get_scope_type_display()} {self.scope_number}"


def required_supports(percent, nominal_list):
    """Supports required: ceil(percent/100 × Lista Nominal); thresholds round up to whole supports
    (LGIPE 371; DOMAIN.md "Thresholds"). The same formula gives an office's threshold and the
    minimum of each of its dispersion units."""
    return math.ceil(Decimal(percent) * nominal_list / 100)


class Holiday(models.Model):
    """A non-working day. Without an entity it is a national (INE) holiday; with one it is
    that OPL's own. Deadlines counted in working days skip these and weekends."""

    date = models.DateField("fecha")
    name = models.CharField("descripción", max_length=120)
    state = models.ForeignKey(
        "geo.State",
        verbose_name="entidad",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="Vacío: día inhábil nacional.",
    )

    class Meta:
        verbose_name = "día inhábil"
        verbose_name_plural = "días inhábiles"
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["date", "state"], name="holiday_unique_per_state"),
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(state__isnull=True),
                name="holiday_unique_national",
            ),
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.name}"
