from django import forms
from django.core.exceptions import ValidationError

from apoyo.aspirants.models import Aspirant
from apoyo.core.filetypes import SCANS, check_upload
from apoyo.processes.models import Office, Process
from apoyo.supports.forms_rendering import Form
from apoyo.supports.models import Channel, inconsistencies_for_state
from apoyo.supports.scans import max_scan_bytes
from apoyo.supports.states import SupportState

# At most this many scans in one request (each within APOYO_SCAN_MAX_BYTES).
MAX_SCANS_PER_REQUEST = 10


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def show_collection_period(form, name, office):
    """Beside a support-date field, the office's collection period, the only dates it accepts
    (DOMAIN.md): a demo period of 2020-2021 is no surprise. The date picker keeps to it too."""
    start, end = office.collection_start, office.collection_end
    field = form.fields[name]
    field.help_text = f"Periodo de obtención: del {start:%d/%m/%Y} al {end:%d/%m/%Y}."
    field.widget.attrs.update(min=start.isoformat(), max=end.isoformat())
    # A form already validated keeps a copy of the help text in its bound field.
    form[name].help_text = field.help_text


class CedulaOpenForm(Form):
    """Pick process, office and aspirant, then open a cédula by its folio."""

    process = forms.ModelChoiceField(label="Proceso electoral", queryset=Process.objects.none())
    office = forms.ModelChoiceField(label="Cargo", queryset=Office.objects.none())
    aspirant = forms.ModelChoiceField(label="Aspirante", queryset=Aspirant.objects.none())
    reference = forms.CharField(
        label="Número de referencia (folio de la cédula)", max_length=40, required=False
    )
    date = forms.DateField(label="Fecha de la cédula", widget=DateInput(), required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        processes = Process.objects.visible_to(user)
        self.fields["process"].queryset = processes
        process_id = self.data.get("process") or self.initial.get("process")
        offices = Office.objects.visible_to(user).filter(process=process_id or 0)
        self.fields["office"].queryset = offices
        office_id = self.data.get("office") or self.initial.get("office")
        aspirants = Aspirant.objects.visible_to(user).filter(
            office__in=offices, office=office_id or 0
        )
        self.fields["aspirant"].queryset = aspirants
        office_id = getattr(office_id, "pk", office_id)
        office = offices.filter(pk=office_id).first() if str(office_id).isdigit() else None
        if office:
            show_collection_period(self, "date", office)
        else:
            self.fields["date"].help_text = "Elija el cargo para ver su periodo de obtención."


class SupportRowForm(Form):
    """The eight fields of INE's manual capture module; the cédula supplies folio and date."""

    NOMBRE = forms.CharField(label="Nombre(s)", required=False, max_length=200)
    APELLIDO_PATERNO = forms.CharField(label="Apellido paterno", required=False, max_length=200)
    APELLIDO_MATERNO = forms.CharField(label="Apellido materno", required=False, max_length=200)
    CLAVE_ELECTOR = forms.CharField(label="Clave de elector", required=False, max_length=40)
    OCR = forms.CharField(label="OCR", required=False, max_length=40)
    TIPO_INCONSISTENCIA = forms.ChoiceField(label="Tipo de inconsistencia", required=False)
    COMENTARIO = forms.CharField(label="Comentario", required=False, max_length=500)

    def __init__(self, state_id, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = inconsistencies_for_state(state_id).values_list("code", "name")
        self.fields["TIPO_INCONSISTENCIA"].choices = [("", "Sin inconsistencia")] + [
            (code, f"{code} – {name}") for code, name in codes
        ]
        for name in ("CLAVE_ELECTOR", "OCR"):
            self.fields[name].widget.attrs.update(
                {"autocapitalize": "characters", "spellcheck": "false", "class": "mono"}
            )
        self.fields["OCR"].widget.attrs["inputmode"] = "numeric"

    def add_row_errors(self, errors):
        for error in errors:
            self.add_error(error.column if error.column in self.fields else None, error.message)


class AspirantRowForm(SupportRowForm):
    """The aspirant's pre-capture of a row: the same fields, minus the tipo de inconsistencia,
    which only the OPL records."""

    def __init__(self, state_id, *args, **kwargs):
        super().__init__(state_id, *args, **kwargs)
        del self.fields["TIPO_INCONSISTENCIA"]


class CorrectionForm(SupportRowForm):
    FECHA_APOYO = forms.DateField(label="Fecha del apoyo", required=False, widget=DateInput())

    def __init__(self, state_id, *args, outcome_locked=False, **kwargs):
        super().__init__(state_id, *args, **kwargs)
        if outcome_locked:
            # A disabled field keeps its initial value whatever is posted.
            field = self.fields["TIPO_INCONSISTENCIA"]
            field.disabled = True
            field.help_text = (
                "Lo decide la mesa de control: solo cambia en la mesa de control o por la "
                "resolución de una garantía de audiencia."
            )


class RowCorrectionForm(CorrectionForm):
    """A saved row corrected from its cédula's page: the cédula keeps supplying the date."""

    def __init__(self, state_id, *args, **kwargs):
        super().__init__(state_id, *args, **kwargs)
        del self.fields["FECHA_APOYO"]


class WithdrawForm(Form):
    reason = forms.CharField(
        label="Motivo del retiro",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Quedará en el historial del apoyo. El apoyo no se borra y deja de contar.",
    )


class SupportFilterForm(Form):
    q = forms.CharField(label="Buscar (folio, clave o nombre)", required=False)
    office = forms.ModelChoiceField(label="Cargo", queryset=Office.objects.none(), required=False)
    aspirant = forms.ModelChoiceField(
        label="Aspirante", queryset=Aspirant.objects.none(), required=False
    )
    channel = forms.ChoiceField(label="Canal", required=False)
    status = forms.ChoiceField(label="Estado", required=False)
    inconsistency = forms.ChoiceField(label="Inconsistencia", required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the names are shown: no join of the process (~0.5 ms per list page).
        self.fields["office"].queryset = Office.objects.visible_to(user)
        self.fields["aspirant"].queryset = Aspirant.objects.visible_to(user)
        self.fields["channel"].choices = [("", "Todos")] + list(Channel.choices)
        self.fields["status"].choices = [("", "Todos")] + list(SupportState.choices)
        codes = inconsistencies_for_state(user.state_id).values_list("code", flat=True)
        self.fields["inconsistency"].choices = [("", "Todas"), ("none", "Sin inconsistencia")] + [
            (code, code) for code in codes
        ]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ScansField(forms.FileField):
    """One or more scans of a cédula, each checked by its content (a renamed file is judged by its
    bytes) and by size (APOYO_SCAN_MAX_BYTES)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp"})
        )
        kwargs.setdefault(
            "help_text",
            f"PDF, JPG, PNG o WebP; hasta {MAX_SCANS_PER_REQUEST} archivos por envío. "
            "Se revisa el contenido del archivo, no su extensión.",
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        files = data if isinstance(data, list | tuple) else [data]
        files = [single(item, initial) for item in files if item] or [single(None, initial)]
        files = [item for item in files if item]
        if len(files) > MAX_SCANS_PER_REQUEST:
            raise ValidationError(f"Envíe a lo más {MAX_SCANS_PER_REQUEST} archivos a la vez.")
        errors = []
        for item in files:
            try:
                check_upload(item, SCANS, max_scan_bytes())
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files


class ScanUploadForm(Form):
    scans = ScansField(label="Escaneos de la cédula")


class CedulaRegisterForm(ScanUploadForm):
    """The aspirant registers a paper cédula by its folio and date, with its scans."""

    reference = forms.CharField(label="Número de referencia (folio de la cédula)", max_length=40)
    date = forms.DateField(label="Fecha de la cédula", widget=DateInput())

    field_order = ["reference", "date", "scans"]
