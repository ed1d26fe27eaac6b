"""The setup document's shape as DRF serializers (CONTRACT.md, "load_setup FILE.json").

Each object of the document checks its own values; the nested `scope`, `threshold` and
`dispersion` objects map onto the Office columns (source="*"), so a valid office comes out as the
Office's fields. Once every value is well formed, SetupSerializer.validate checks what the parts
say about each other and about the stored data (`apoyo.aspirants.setup.references`).

Fields are declared in document order: `errors.first_error` reports the first one that fails.
"""

from rest_framework import serializers

from apoyo.aspirants.models import Aspirant
from apoyo.aspirants.setup import references
from apoyo.aspirants.setup.fields import (
    Choice,
    Email,
    IsoDate,
    Items,
    JsonObject,
    Number,
    Text,
    WholeNumber,
)
from apoyo.geo.models import State
from apoyo.processes.models import DispersionUnit, Office, Process, ScopeType


def _max_length(model, name):
    return model._meta.get_field(name).max_length


def _places(name):
    return Office._meta.get_field(name).decimal_places


class ProcessSerializer(JsonObject):
    """`process`: code, name, state (INE number) and optional roll_cut_date."""

    code = Text(max_length=_max_length(Process, "code"))
    name = Text(max_length=_max_length(Process, "name"))
    state = WholeNumber()
    roll_cut_date = IsoDate(required=False, default=None)

    def validate_state(self, number):
        state = State.objects.filter(number=number).first()
        if state is None:
            raise serializers.ValidationError(
                f"la entidad {number} no existe; use la clave INE de 1 a 32."
            )
        return state

    def validate(self, attrs):
        """A process whose offices have aspirants keeps its entity: moving it would move their data."""
        existing = Process.objects.filter(code=attrs["code"]).select_related("state").first()
        state = attrs["state"]
        if existing is None or existing.state_id == state.number:
            return attrs
        if Aspirant.objects.filter(office__process=existing).exists():
            raise serializers.ValidationError(
                {
                    "state": f"el proceso {existing.code} ya tiene aspirantes registrados en "
                    f"{existing.state}; no se puede cambiar su entidad a {state}."
                }
            )
        return attrs


class PaperRegimeSerializer(JsonObject):
    """`paper_regime`: INE numbers of the municipalities and sections where paper counts."""

    municipalities = Items(child=WholeNumber())
    sections = Items(child=WholeNumber())

    def validate(self, attrs):
        if not attrs["municipalities"] and not attrs["sections"]:
            raise serializers.ValidationError(
                "indique al menos un municipio (municipalities) o sección (sections)."
            )
        return attrs


class ScopeSerializer(JsonObject):
    """`scope` → scope_type, scope_number; the number is required except for the state."""

    type = Choice(ScopeType.choices, source="scope_type")
    number = WholeNumber(source="scope_number", required=False, default=None)

    def to_internal_value(self, data):
        # The state scope has no number: whatever the file writes there is ignored, not checked.
        if isinstance(data, dict) and str(data.get("type")).strip().lower() == ScopeType.STATE:
            data = {key: value for key, value in data.items() if key != "number"}
        return super().to_internal_value(data)

    def validate(self, attrs):
        if attrs["scope_type"] != ScopeType.STATE and attrs["scope_number"] is None:
            raise serializers.ValidationError({"number": "falta este dato obligatorio."})
        return attrs


class DispersionSerializer(JsonObject):
    """`threshold.dispersion` → the dispersion_* columns: a unit type, min_units or
    min_units_fraction (exactly one), and min_percent."""

    unit = Choice(DispersionUnit.choices, source="dispersion_unit")
    min_units = WholeNumber(source="dispersion_min_units", required=False, default=None)
    min_units_fraction = Number(
        source="dispersion_min_units_fraction",
        required=False,
        default=None,
        places=_places("dispersion_min_units_fraction"),
        minimum=0,
        exclusive_minimum=True,
        maximum=1,
        error_messages={"out_of_range": "debe ser mayor que 0 y a lo más 1; se recibió {value}."},
    )
    min_percent = Number(
        source="dispersion_min_percent",
        places=_places("dispersion_min_percent"),
        minimum=0,
        maximum=100,
        error_messages={
            "out_of_range": "debe ser un porcentaje entre 0 y 100; se recibió {value}."
        },
    )

    def validate(self, attrs):
        has_units = attrs["dispersion_min_units"] is not None
        has_fraction = attrs["dispersion_min_units_fraction"] is not None
        if has_units and has_fraction:
            raise serializers.ValidationError("indique min_units o min_units_fraction, no ambos.")
        if not has_units and not has_fraction:
            raise serializers.ValidationError("falta min_units o min_units_fraction.")
        return attrs


# The columns of an office without a dispersion rule.
_NO_DISPERSION = {
    "dispersion_unit": "",
    "dispersion_min_units": None,
    "dispersion_min_units_fraction": None,
    "dispersion_min_percent": None,
}


class ThresholdSerializer(JsonObject):
    """`threshold` → threshold_percent and the optional dispersion rule."""

    percent = Number(
        source="threshold_percent",
        places=_places("threshold_percent"),
        minimum=0,
        exclusive_minimum=True,
        maximum=100,
        error_messages={
            "out_of_range": "debe ser un porcentaje mayor que 0 y a lo más 100; se recibió {value}."
        },
    )
    dispersion = DispersionSerializer(source="*", required=False)

    def validate(self, attrs):
        # Absent, the rule is cleared: a reload without it removes a stored one.
        return {**_NO_DISPERSION, **attrs}


class OfficeSerializer(JsonObject):
    """One of `offices`, as the Office's columns (code included)."""

    code = Text(max_length=_max_length(Office, "code"))
    name = Text(max_length=_max_length(Office, "name"))
    scope = ScopeSerializer(source="*")
    collection_start = IsoDate()
    collection_end = IsoDate()
    threshold = ThresholdSerializer(source="*")

    def validate(self, attrs):
        start, end = attrs["collection_start"], attrs["collection_end"]
        if end < start:
            raise serializers.ValidationError(
                {
                    "collection_end": f"el fin del periodo ({end.isoformat()}) es anterior "
                    f"a su inicio ({start.isoformat()})."
                }
            )
        return attrs


class AspirantSerializer(JsonObject):
    """One of `aspirants`: its code, the code of its office, names and e-mail."""

    code = Text(max_length=_max_length(Aspirant, "code"))
    office = Text(max_length=_max_length(Office, "code"))
    name = Text(max_length=_max_length(Aspirant, "name"))
    paternal_surname = Text(required=False, max_length=_max_length(Aspirant, "paternal_surname"))
    maternal_surname = Text(required=False, max_length=_max_length(Aspirant, "maternal_surname"))
    email = Email(max_length=_max_length(Aspirant, "email"))


class SetupSerializer(JsonObject):
    """The whole document. Its validated data adds what references.resolve finds stored."""

    default_error_messages = {
        "invalid": "el documento debe ser un objeto JSON con process, offices y aspirants."
    }

    process = ProcessSerializer()
    paper_regime = PaperRegimeSerializer(required=False, default=None)
    offices = Items(child=OfficeSerializer())
    aspirants = Items(child=AspirantSerializer())

    def validate(self, attrs):
        return references.resolve(attrs)
