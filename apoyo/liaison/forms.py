from django import forms
from django.core.exceptions import ValidationError

from apoyo.accounts.models import User
from apoyo.geo.models import State
from apoyo.liaison import policies
from apoyo.liaison.attachments import MAX_FILES, check_files
from apoyo.liaison.models import Area, AreaMember, DocumentType, Status

# What the file picker offers; the content is what is checked (apoyo.core.filetypes).
ACCEPT = ".pdf,.jpg,.jpeg,.png,.webp,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp"


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} · {obj.name}"


class AreaMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} · {obj.name}"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files at once, each checked by its content and size (attachments.check_files)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Anexos")
        kwargs.setdefault(
            "help_text",
            f"PDF, imágenes o documentos de Office u OpenDocument; hasta {MAX_FILES} archivos.",
        )
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(required=False, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data]
        files = [super(AttachmentsField, self).clean(item, initial) for item in items if item]
        files = [f for f in files if f]
        check_files(files)
        return files


class RegisterForm(forms.Form):
    doc_type = forms.ModelChoiceField(
        label="Tipo de documento", queryset=DocumentType.objects.filter(active=True)
    )
    opl_folio = forms.CharField(
        label="Folio del documento del OPL",
        max_length=60,
        help_text="El número de su oficio, por ejemplo IEE-PRESI-137-2020.",
    )
    subject = forms.CharField(label="Asunto", max_length=200)
    description = forms.CharField(label="Descripción", widget=forms.Textarea(attrs={"rows": 6}))
    files = AttachmentsField()


class AssignForm(forms.Form):
    areas = AreaMultipleChoiceField(
        label="Áreas", queryset=Area.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    instruction = forms.CharField(
        label="Instrucción (opcional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, consultation, *args, **kwargs):
        super().__init__(*args, **kwargs)
        assigned = consultation.assignments.filter(active=True).values("area")
        self.fields["areas"].queryset = Area.objects.filter(active=True).exclude(pk__in=assigned)


class ReassignForm(forms.Form):
    area = AreaChoiceField(label="Nueva área", queryset=Area.objects.filter(active=True))
    reason = forms.CharField(label="Motivo", max_length=500)
    instruction = forms.CharField(label="Instrucción (opcional)", required=False)


class AnswerForm(forms.Form):
    text = forms.CharField(label="Respuesta", widget=forms.Textarea(attrs={"rows": 10}))
    ine_folio = forms.CharField(
        label="Número de oficio del INE (opcional)",
        max_length=60,
        required=False,
        help_text="El oficio con que el área responde, por ejemplo INE/DERFE/0452/2020.",
    )
    files = AttachmentsField()
    remove = forms.ModelMultipleChoiceField(
        label="Quitar anexos",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, answer, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if answer is None:
            del self.fields["remove"]
        else:
            self.fields["remove"].queryset = answer.attachments.all()


class ReturnForm(forms.Form):
    comments = forms.CharField(
        label="Observaciones para el área", widget=forms.Textarea(attrs={"rows": 3})
    )


class FollowUpForm(forms.Form):
    text = forms.CharField(label="Seguimiento", widget=forms.Textarea(attrs={"rows": 4}))
    files = AttachmentsField()


class CloseForm(forms.Form):
    note = forms.CharField(label="Nota (opcional)", required=False, max_length=500)


class FilterForm(forms.Form):
    DUE_CHOICES = [
        ("", "Todas"),
        ("overdue", "Vencidas"),
        ("soon", "Vencen en 2 días hábiles"),
    ]

    q = forms.CharField(label="Buscar (folio, oficio, asunto o texto)", required=False)
    state = forms.ModelChoiceField(label="OPL", queryset=State.objects.all(), required=False)
    area = forms.ModelChoiceField(label="Área", queryset=Area.objects.all(), required=False)
    doc_type = forms.ModelChoiceField(
        label="Tipo", queryset=DocumentType.objects.all(), required=False
    )
    status = forms.ChoiceField(
        label="Estado", choices=[("", "Todos")] + list(Status.choices), required=False
    )
    due = forms.ChoiceField(label="Plazo", choices=DUE_CHOICES, required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].empty_label = "Todos"
        self.fields["area"].empty_label = "Todas"
        self.fields["doc_type"].empty_label = "Todos"
        if not policies.sees_every_entity(user):
            # An OPL sees only its own entity: choosing another would always give nothing.
            del self.fields["state"]
        if policies.desk(user) == policies.AREA:
            self.fields["area"].queryset = Area.objects.filter(members__user=user)


class DocumentTypeForm(forms.ModelForm):
    class Meta:
        model = DocumentType
        fields = ["code", "name", "due_days", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Folios already given carry the code; changing it would break their series.
            self.fields["code"].disabled = True


class AreaForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = ["code", "name", "active"]


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(
        label="Usuario",
        queryset=User.objects.filter(policies.MAY_JOIN_AN_AREA, is_active=True).order_by(
            "username"
        ),
    )
    is_head = forms.BooleanField(label="Titular (aprueba las respuestas)", required=False)

    def __init__(self, area, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area

    def clean_user(self):
        user = self.cleaned_data["user"]
        if AreaMember.objects.filter(area=self.area, user=user).exists():
            raise ValidationError(f"{user} ya pertenece a {self.area.code}.")
        return user
