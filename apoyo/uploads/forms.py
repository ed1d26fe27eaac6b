from django import forms

from apoyo.aspirants.models import Aspirant
from apoyo.core.datafiles import DataFileField
from apoyo.uploads.services import max_upload_bytes


class SupportFileForm(forms.Form):
    """A carga masiva file, the OPL's or the aspirant's: the same template and validator."""

    file = DataFileField(
        label="Archivo (CSV o XLSX)",
        help_text="Use la plantilla. Primera hoja del XLSX; CSV en UTF-8 o Windows-1252.",
        extensions=(".csv", ".xlsx", ".txt", ".csv.gz"),
        max_bytes=max_upload_bytes,
        formats="CSV o XLSX",
    )
    dry_run = forms.BooleanField(
        label="Solo validar (no guarda nada; muestra el mismo reporte)", required=False
    )


class UploadForm(SupportFileForm):
    """The OPL's carga masiva, for one of the aspirants it may capture for."""

    aspirant = forms.ModelChoiceField(label="Aspirante", queryset=Aspirant.objects.none())
    field_order = ["aspirant", "file", "dry_run"]

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        aspirants = Aspirant.objects.visible_to(user).select_related("office__process")
        self.fields["aspirant"].queryset = aspirants


class RevertForm(forms.Form):
    """Why an administrator reverts a whole carga masiva (kept on the upload and its supports)."""

    reason = forms.CharField(
        label="Motivo de la reversión",
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "Queda en el historial de la carga y como motivo del retiro de cada uno de sus apoyos."
        ),
        error_messages={"required": "Indique el motivo de la reversión."},
    )
