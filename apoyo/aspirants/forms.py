from django import forms

from apoyo.accounts.models import User
from apoyo.aspirants.models import Aspirant
from apoyo.processes.models import Office


class AspirantForm(forms.ModelForm):
    """An aspirant of the administrator's entity, with an optional aspirant-portal account."""

    username = forms.CharField(
        label="Usuario del portal",
        required=False,
        max_length=150,
        help_text=(
            "Opcional: crea la cuenta con la que el aspirante consulta sus apoyos; recibe en su "
            "correo el enlace para establecer su contraseña."
        ),
    )

    class Meta:
        model = Aspirant
        fields = ["office", "code", "name", "paternal_surname", "maternal_surname", "email"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.objects.visible_to(user).select_related("process")
        self.fields["office"].label_from_instance = lambda o: f"{o.process.code} · {o.name}"
        if self.instance.user_id:
            del self.fields["username"]

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        office, code = cleaned.get("office"), cleaned.get("code")
        if office and code:
            same_code = Aspirant.objects.filter(office__process=office.process_id, code=code)
            if same_code.exclude(pk=self.instance.pk).exists():
                self.add_error("code", "Ya existe un aspirante con esa clave en el proceso.")
        username = cleaned.get("username")
        if username and User.objects.filter(username=username).exists():
            self.add_error("username", "Ese nombre de usuario ya está en uso.")
        if username and not cleaned.get("email"):
            self.add_error("email", "Indique el correo: ahí recibe el enlace de su contraseña.")
        return cleaned


class AuxiliaryForm(forms.Form):
    """The aspirant's registration of an auxiliary; the rules live in services.register_auxiliary."""

    name = forms.CharField(label="Nombre completo", max_length=200)
    email = forms.EmailField(
        label="Correo electrónico", help_text="Ahí recibe la invitación para crear su contraseña."
    )
    phone = forms.CharField(label="Teléfono", max_length=20, help_text="10 dígitos.")
