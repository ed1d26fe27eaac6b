from django import forms
from django.core.exceptions import ValidationError

from apoyo.aspirants.models import Aspirant
from apoyo.review.services import COMMENT_REQUIRED_CODES, MAX_COMMENT
from apoyo.supports.forms import DateInput
from apoyo.supports.forms_rendering import Form
from apoyo.supports.models import Channel, Inconsistency, inconsistencies_for_state


class ReviewFilterForm(Form):
    """Filters of the mesa de control queue."""

    q = forms.CharField(label="Buscar (folio, clave o nombre)", required=False, max_length=100)
    aspirant = forms.ModelChoiceField(
        label="Aspirante", queryset=Aspirant.objects.none(), required=False, empty_label="Todos"
    )
    channel = forms.ChoiceField(label="Canal", required=False)
    reference = forms.CharField(label="Cédula (folio)", required=False, max_length=40)
    date_from = forms.DateField(label="Capturado desde", required=False, widget=DateInput())
    date_to = forms.DateField(label="Capturado hasta", required=False, widget=DateInput())

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An option shows the aspirant's code and name only: no join of the office (~0.5 ms per
        # page of the queue).
        self.fields["aspirant"].queryset = Aspirant.objects.visible_to(user)
        self.fields["channel"].choices = [("", "Todos")] + list(Channel.choices)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError("La fecha inicial es posterior a la final.")
        return data


class InconsistencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        label = f"{obj.code} – {obj.name}"
        return f"{label} (requiere segundo revisor)" if obj.needs_confirmation else label


class InconsistencyDecisionForm(Form):
    inconsistency = InconsistencyChoiceField(
        label="Tipo de inconsistencia",
        queryset=Inconsistency.objects.none(),
        empty_label="Elija un tipo…",
        error_messages={"required": "Elija el tipo de inconsistencia."},
    )
    comment = forms.CharField(label="Comentario", required=False, max_length=MAX_COMMENT)

    def __init__(self, state_id, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["inconsistency"].queryset = inconsistencies_for_state(state_id)

    def clean(self):
        # An error on the comment itself (not on the form) marks the field, so the page puts the
        # cursor back in it: what the revisor types next goes there, never to a shortcut.
        data = super().clean()
        kind = data.get("inconsistency")
        if kind and kind.code in COMMENT_REQUIRED_CODES and not data.get("comment", "").strip():
            self.add_error("comment", "Describa la inconsistencia en el comentario.")
        return data


class ConfirmationForm(Form):
    """The second revisor's answer to a four-eyes rejection: confirm it, or not (with a reason)."""

    decision = forms.ChoiceField(choices=[("confirm", "Confirmar"), ("overturn", "No confirmar")])
    comment = forms.CharField(
        label="Comentario del segundo revisor",
        required=False,
        max_length=MAX_COMMENT,
        help_text="Obligatorio si no confirma el rechazo.",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "overturn" and not data.get("comment", "").strip():
            self.add_error("comment", "Explique por qué no confirma el rechazo.")
        return data

    @property
    def failed(self):
        """Which of the page's two forms was sent and refused ("confirm" or "overturn")."""
        return self.data.get("decision") if self.is_bound and self.errors else ""
