from django import forms

from apoyo.accounts.models import OPL_ROLES, Role, User

# Only OPL roles: an aspirant's or auxiliary's account never becomes staff through these forms.
STAFF_ROLES = [(role.value, role.label) for role in Role if role in OPL_ROLES]


class StaffForm(forms.ModelForm):
    """An OPL administrator's form for the OPL staff of their own entity. It sets no password (a
    person's password is theirs alone) and no role (a role change is its own, logged, action)."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "is_active"]
        labels = {"username": "Usuario", "is_active": "Activo"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["email"].help_text = "Ahí recibe el enlace para establecer su contraseña."


class NewStaffForm(StaffForm):
    """A new staff account: its role, and a link by e-mail to set its password."""

    role = forms.ChoiceField(label="Rol", choices=STAFF_ROLES)

    class Meta(StaffForm.Meta):
        fields = ["username", "first_name", "last_name", "email", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(label="Rol nuevo", choices=STAFF_ROLES)
    reason = forms.CharField(
        label="Motivo del cambio",
        max_length=200,
        help_text="Queda en la bitácora con su nombre.",
    )
