"""The consulta ciudadana's forms: the lookup (clave de elector and OCR or CIC) and the citizen's
"Yo no di este apoyo" (a contact and a short statement)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from apoyo.citizens.models import ContactKind
from apoyo.core.identity import CIC_RE, OCR_RE, is_valid_elector_key, normalize_key

MAX_STATEMENT = 1000
KEY_MESSAGE = (
    "Escriba los 18 caracteres de la clave de elector tal como aparecen en su credencial "
    "(6 letras, 8 números, H o M y 3 números)."
)
NUMBER_MESSAGE = (
    "Escriba los 13 dígitos del OCR o los 9 dígitos del CIC, tal como aparecen en el reverso de su "
    "credencial."
)
CONTACT_MESSAGE = "Escriba un correo electrónico válido o un teléfono de 10 dígitos."
_PHONE_PUNCTUATION = re.compile(r"[\s\-().]")


class LookupForm(forms.Form):
    """What the citizen types from their credencial para votar, normalized as every capture
    channel normalizes it (core.identity: upper case, no spaces or hyphens)."""

    elector_key = forms.CharField(label="Clave de elector", max_length=40)
    number = forms.CharField(label="OCR o CIC", max_length=40)

    def clean_elector_key(self):
        key = normalize_key(self.cleaned_data["elector_key"])
        if not is_valid_elector_key(key):
            raise ValidationError(KEY_MESSAGE)
        return key

    def clean_number(self):
        number = normalize_key(self.cleaned_data["number"])
        if OCR_RE.fullmatch(number) is None and CIC_RE.fullmatch(number) is None:
            raise ValidationError(NUMBER_MESSAGE)
        return number


def clean_contact(value):
    """(kind, contact): an e-mail address (its domain in lower case) or a Mexican phone number of
    10 digits (a leading +52 or 52 and the usual spaces, hyphens and parentheses are dropped)."""
    value = " ".join(str(value or "").split())
    if "@" in value:
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(CONTACT_MESSAGE) from None
        local, domain = value.rsplit("@", 1)
        return ContactKind.EMAIL, f"{local}@{domain.lower()}"
    digits = _PHONE_PUNCTUATION.sub("", value).removeprefix("+")
    if len(digits) == 12 and digits.startswith("52"):
        digits = digits[2:]
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        raise ValidationError(CONTACT_MESSAGE)
    return ContactKind.PHONE, digits


class DisownForm(forms.Form):
    """ "Yo no di este apoyo": which support (with the signed pass of the answer that listed it),
    how the OPL may reach the citizen, and what they want to say."""

    support = forms.IntegerField(widget=forms.HiddenInput)
    token = forms.CharField(widget=forms.HiddenInput, max_length=2000)
    contact = forms.CharField(label="Correo electrónico o teléfono", max_length=254)
    statement = forms.CharField(
        label="¿Qué quiere decirle al OPL?",
        max_length=MAX_STATEMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Cuéntenos en pocas palabras por qué no reconoce este apoyo.",
            "max_length": f"Escriba como máximo {MAX_STATEMENT} caracteres.",
        },
    )

    def clean_contact(self):
        kind, contact = clean_contact(self.cleaned_data["contact"])
        self.cleaned_data["contact_kind"] = kind
        return contact

    def clean_statement(self):
        return self.cleaned_data["statement"].strip()
