"""The draw of a sample: its size from a target margin of error, or a fixed size; and its seed."""

from decimal import Decimal

from django import forms

from apoyo.sampling.models import SizeMethod
from apoyo.sampling.services import MAX_SEED


class DrawForm(forms.Form):
    method = forms.ChoiceField(
        label="Tamaño de la muestra",
        choices=[
            (SizeMethod.MARGIN, "Calcularlo con un margen de error"),
            (SizeMethod.FIXED, "Un número fijo de apoyos"),
        ],
        initial=SizeMethod.MARGIN,
        widget=forms.RadioSelect,
    )
    margin_percent = forms.DecimalField(
        label="Margen de error (%)",
        min_value=Decimal("0.5"),
        max_value=Decimal("20"),
        decimal_places=2,
        initial=3,
        required=False,
        help_text="Con «Calcularlo con un margen de error».",
    )
    confidence_percent = forms.TypedChoiceField(
        label="Nivel de confianza",
        choices=[(90, "90 %"), (95, "95 %"), (99, "99 %")],
        coerce=int,
        initial=95,
    )
    size = forms.IntegerField(
        label="Número de apoyos",
        min_value=1,
        max_value=1_000_000,
        required=False,
        help_text="Con «Un número fijo de apoyos», p. ej. 500.",
    )
    seed = forms.IntegerField(
        label="Semilla (opcional)",
        min_value=0,
        max_value=MAX_SEED - 1,
        required=False,
        help_text="Déjela vacía para que el sistema la elija al azar. Con la misma semilla y los "
        "mismos apoyos pendientes se obtiene la misma muestra.",
    )

    def clean(self):
        data = super().clean()
        if data.get("method") == SizeMethod.FIXED and not data.get("size"):
            self.add_error("size", "Indique cuántos apoyos tendrá la muestra.")
        if data.get("method") == SizeMethod.MARGIN and data.get("margin_percent") is None:
            self.add_error("margin_percent", "Indique el margen de error.")
        return data

    def draw_arguments(self):
        data = self.cleaned_data
        fixed = data["method"] == SizeMethod.FIXED
        return {
            "margin_percent": None if fixed else data["margin_percent"],
            "confidence_percent": data["confidence_percent"],
            "size": data["size"] if fixed else None,
            "seed": data.get("seed"),
        }
