from django import forms
from django.contrib.auth.password_validation import validate_password

from apoyo.accounts.models import OPL_ROLES, Role, User

# Aspirant accounts are made from the aspirant's page, which links them to their aspirant.
MANAGEABLE_ROLES = [(r.value, r.label) for r in Role if r in OPL_ROLES]


class StaffForm(forms.ModelForm):
    """An OPL administrator's form for the OPL staff of their own entity. It never sets a
    password: a person's password is theirs alone."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "is_active"]
        labels = {"username": "Usuario", "is_active": "Activo"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = MANAGEABLE_ROLES
        self.fields["first_name"].required = True


class NewStaffForm(StaffForm):
    """A new staff account with its initial password."""

    password = forms.CharField(
        label="Contraseña inicial",
        widget=forms.PasswordInput(render_value=False),
    )

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password, self.instance)
        return password

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
        return user
