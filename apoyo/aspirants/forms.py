from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import SetPasswordForm

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


class TelInput(forms.TextInput):
    """A phone number: the phone's dial pad, and the browser may fill in a known number."""

    input_type = "tel"


class AuxiliaryForm(forms.Form):
    """The aspirant's registration of an auxiliary; the rules live in services.register_auxiliary."""

    name = forms.CharField(
        label="Nombre completo",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Correo electrónico",
        help_text="Ahí recibe la invitación para crear su contraseña.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label="Teléfono",
        max_length=20,
        help_text="10 dígitos.",
        widget=TelInput(attrs={"autocomplete": "tel"}),
    )


class InvitationPasswordForm(SetPasswordForm):
    """The auxiliary's first password, from the invitation link. Django checks the password rules
    on the confirmation field; here a broken rule is said under the password itself and only a
    mismatch under the confirmation. The rules are shown beforehand by the page, as a hint list
    (password_rules), not as this field's help."""

    def __init__(self, user, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(user, *args, **kwargs)
        password, again = self.fields["new_password1"], self.fields["new_password2"]
        password.label, password.help_text = "Contraseña", ""
        password.widget.attrs["aria-describedby"] = "password-rules"
        again.label, again.help_text = "Confirme la contraseña", "Escríbala otra vez, igual."
        password.error_messages["required"] = "Escriba la contraseña."
        again.error_messages["required"] = "Escriba otra vez la contraseña."
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": "Las dos contraseñas no coinciden: escríbalas otra vez.",
        }

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return self.cleaned_data


# Django's es-MX help texts read as errors ("Su contraseña es muy corta."): guidance instead.
_RULE_HINTS = {
    "UserAttributeSimilarityValidator": lambda v: (
        "Que no se parezca a su nombre, usuario o correo."
    ),
    "MinimumLengthValidator": lambda v: f"Al menos {v.min_length} caracteres.",
    "CommonPasswordValidator": lambda v: "Que no sea una contraseña de uso común.",
    "NumericPasswordValidator": lambda v: "Que no sea solo números.",
}


def password_rules():
    """The password rules in force (AUTH_PASSWORD_VALIDATORS) as neutral hints, in Spanish; a
    validator without a hint of ours shows its own help text."""
    hints = []
    for validator in password_validation.get_default_password_validators():
        hint = _RULE_HINTS.get(type(validator).__name__)
        hints.append(hint(validator) if hint else validator.get_help_text())
    return hints
