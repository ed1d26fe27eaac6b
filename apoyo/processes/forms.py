from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from apoyo.core.filetypes import check_upload
from apoyo.geo.models import Municipality, Section
from apoyo.processes.models import DEFAULT_LEGAL_BASIS, Holiday, Institute, Office, Process


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProcessForm(forms.ModelForm):
    class Meta:
        model = Process
        fields = [
            "code",
            "name",
            "roll_cut_date",
            "legal_basis",
            "rulings_final_on",
            "retention_days",
        ]
        widgets = {
            "roll_cut_date": DateInput(),
            "legal_basis": forms.Textarea(attrs={"rows": 4}),
            "rulings_final_on": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["legal_basis"].required = False
        # Left empty, the process keeps the default retention (the field shows it prefilled).
        self.fields["retention_days"].required = False
        if self.instance.personal_data_purged_at:
            # What the purge was counted from stays as it was.
            for name in ("rulings_final_on", "retention_days"):
                self.fields[name].disabled = True

    def clean_legal_basis(self):
        # Left empty, the dictamen cites LGIPE 371 and 383 to 385 and the local law.
        return self.cleaned_data["legal_basis"].strip() or DEFAULT_LEGAL_BASIS

    def clean_retention_days(self):
        days = self.cleaned_data["retention_days"]
        return days or Process._meta.get_field("retention_days").default

    def clean_rulings_final_on(self):
        day = self.cleaned_data["rulings_final_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(
                "Los dictámenes no pueden quedar firmes en una fecha futura."
            )
        return day


# The logo prints on the dictamen; reportlab reads PNG and JPEG.
LOGO_KINDS = frozenset({"png", "jpeg"})
LOGO_MAX_BYTES = 1024 * 1024


class InstituteForm(forms.ModelForm):
    """How the OPL's documents name it: name, heading and an optional logo."""

    class Meta:
        model = Institute
        fields = ["name", "heading", "logo"]

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):
            try:
                check_upload(logo, LOGO_KINDS, LOGO_MAX_BYTES)
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from error
        return logo


class PaperRegimeForm(forms.ModelForm):
    """The régimen de excepción: where paper cédulas count (DOMAIN.md, captura manual)."""

    sections_text = forms.CharField(
        label="Secciones adicionales",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Números de sección separados por comas o espacios.",
    )

    class Meta:
        model = Process
        fields = ["has_paper_regime", "paper_regime_municipalities"]
        widgets = {"paper_regime_municipalities": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        state = self.instance.state_id
        self.fields["paper_regime_municipalities"].queryset = Municipality.objects.filter(
            state=state
        )
        numbers = self.instance.paper_regime_sections.values_list("number", flat=True)
        self.initial["sections_text"] = ", ".join(str(n) for n in numbers)

    def clean_sections_text(self):
        raw = self.cleaned_data["sections_text"].replace(",", " ").split()
        if not all(token.isdigit() for token in raw):
            raise forms.ValidationError("Escriba solo números de sección.")
        numbers = {int(token) for token in raw}
        sections = list(Section.objects.filter(state=self.instance.state_id, number__in=numbers))
        missing = numbers - {s.number for s in sections}
        if missing:
            listed = ", ".join(str(n) for n in sorted(missing))
            raise forms.ValidationError(f"Estas secciones no existen en la entidad: {listed}.")
        return sections

    def save(self, commit=True):
        process = super().save(commit=commit)
        if commit:
            process.paper_regime_sections.set(self.cleaned_data["sections_text"])
        return process


class OfficeForm(forms.ModelForm):
    class Meta:
        model = Office
        fields = [
            "code",
            "name",
            "scope_type",
            "scope_number",
            "collection_start",
            "collection_end",
            "threshold_percent",
            "dispersion_unit",
            "dispersion_min_units",
            "dispersion_min_units_fraction",
            "dispersion_min_percent",
        ]
        widgets = {"collection_start": DateInput(), "collection_end": DateInput()}

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.process = process

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("code")
        others = Office.objects.filter(process=self.instance.process, code=code)
        if code and others.exclude(pk=self.instance.pk).exists():
            self.add_error("code", "Ya existe un cargo con esa clave en el proceso.")
        if not self.errors:
            self.check_scope_exists(cleaned)
        return cleaned

    def check_scope_exists(self, cleaned):
        scope_type, number = cleaned.get("scope_type"), cleaned.get("scope_number")
        if scope_type == "state" or number is None:
            return
        state = self.instance.process.state
        units = {
            "municipality": state.municipalities,
            "local_district": state.local_districts,
            "federal_district": state.federal_districts,
        }[scope_type]
        if not units.filter(number=number).exists():
            self.add_error("scope_number", f"No existe ese ámbito con número {number} en {state}.")


class HolidayForm(forms.ModelForm):
    class Meta:
        model = Holiday
        fields = ["date", "name"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, state=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.state = state

    def clean_date(self):
        day = self.cleaned_data["date"]
        if Holiday.objects.filter(date=day, state=self.state).exists():
            raise forms.ValidationError("Ese día ya está registrado como inhábil.")
        return day
