from django.db import models


class State(models.Model):
    """An entidad federativa, keyed by INE's two-digit number (Sonora = 26)."""

    number = models.PositiveSmallIntegerField("clave", primary_key=True)
    abbreviation = models.CharField("abreviatura", max_length=5, unique=True)
    name = models.CharField("nombre", max_length=60)

    class Meta:
        verbose_name = "entidad"
        verbose_name_plural = "entidades"
        ordering = ["number"]

    def __str__(self):
        return self.name


class Municipality(models.Model):
    """A municipality under INE's electoral key (which differs from INEGI's: Hermosillo is 49, not 030)."""

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="municipalities")
    number = models.PositiveSmallIntegerField("clave INE")
    name = models.CharField("nombre", max_length=120)

    class Meta:
        verbose_name = "municipio"
        verbose_name_plural = "municipios"
        ordering = ["state", "number"]
        constraints = [
            models.UniqueConstraint(fields=["state", "number"], name="municipality_unique_number")
        ]

    def __str__(self):
        return f"{self.number} {self.name}"


class LocalDistrict(models.Model):
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="local_districts")
    number = models.PositiveSmallIntegerField("número")

    class Meta:
        verbose_name = "distrito local"
        verbose_name_plural = "distritos locales"
        ordering = ["state", "number"]
        constraints = [
            models.UniqueConstraint(fields=["state", "number"], name="local_district_unique_number")
        ]

    def __str__(self):
        return f"Distrito local {self.number}"


class FederalDistrict(models.Model):
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="federal_districts")
    number = models.PositiveSmallIntegerField("número")

    class Meta:
        verbose_name = "distrito federal"
        verbose_name_plural = "distritos federales"
        ordering = ["state", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["state", "number"], name="federal_district_unique_number"
            )
        ]

    def __str__(self):
        return f"Distrito federal {self.number}"


class SectionType(models.TextChoices):
    URBAN = "U", "Urbana"
    RURAL = "R", "Rural"
    MIXED = "M", "Mixta"


class Section(models.Model):
    """An electoral section: the smallest unit of the marco geográfico electoral."""

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="sections")
    number = models.PositiveIntegerField("sección")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="sections"
    )
    local_district = models.ForeignKey(
        LocalDistrict, on_delete=models.PROTECT, related_name="sections"
    )
    federal_district = models.ForeignKey(
        FederalDistrict, on_delete=models.PROTECT, related_name="sections"
    )
    section_type = models.CharField("tipo", max_length=1, choices=SectionType.choices, blank=True)

    class Meta:
        verbose_name = "sección"
        verbose_name_plural = "secciones"
        ordering = ["state", "number"]
        constraints = [
            models.UniqueConstraint(fields=["state", "number"], name="section_unique_number")
        ]

    def __str__(self):
        return f"Sección {self.number}"
