"""DRF fields for the values of a setup document, strict about JSON types, with Spanish messages.

DRF's own fields are lenient in ways the document must not be: they take "26" as the number 26
and 1 as the text "1". A setup file is written by hand and exchanged between systems, so a value
of the wrong JSON type is reported (CONTRACT.md, "load_setup FILE.json"), never guessed at.
Messages are lower case and without a place: `errors.first_error` puts the place in front.
"""

import datetime
import json
import math
import re
from decimal import Decimal

from django.core.validators import EmailValidator
from rest_framework import serializers
from rest_framework.fields import empty

# Largest value an integer column takes on every supported database.
MAX_INTEGER = 2_147_483_647

_DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def show(value):
    """A value as the file wrote it, short enough for a one-line message."""
    return json.dumps(value, ensure_ascii=False)[:60]


def options(values):
    values = list(values)
    return ", ".join(values[:-1]) + " o " + values[-1]


class DocumentValue:
    """Mixin for every field of the document: null in an object means the key is absent.

    So an optional value may be written as null and a required one written as null is missing;
    in a list, though, null is just a value of the wrong type.
    """

    default_error_messages = {"required": "falta este dato obligatorio."}

    def validate_empty_values(self, data):
        if data is None:
            if not isinstance(self.parent, serializers.Serializer):
                return False, None
            data = empty
        return super().validate_empty_values(data)


class Text(DocumentValue, serializers.CharField):
    """A text, trimmed and with inner spaces collapsed; optional ones default to ""."""

    default_error_messages = {
        "invalid": "debe ser un texto entre comillas.",
        "blank": "no puede estar vacío.",
        "max_length": "admite como máximo {max_length} caracteres.",
        "forbidden_character": "tiene un carácter no admitido (U+{code_point:04X}).",
    }

    def __init__(self, **kwargs):
        if not kwargs.get("required", True):
            kwargs.setdefault("allow_blank", True)
            kwargs.setdefault("default", "")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        # Before DRF's validators of the same characters, whose messages are not Spanish: no
        # database stores NUL in a text column, and a lone surrogate cannot be encoded at all.
        for character in data:
            if character == "\x00" or "\ud800" <= character <= "\udfff":
                self.fail("forbidden_character", code_point=ord(character))
        return " ".join(data.split())


class Email(Text):
    """An optional e-mail address, checked as Django checks an EmailField."""

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)
        # After the length check, as a too long address is better told as too long.
        self.validators.append(EmailValidator(message="el correo %(value)s no es válido."))


class WholeNumber(DocumentValue, serializers.IntegerField):
    """A whole number (49 or 49.0, never "49") from 1 to the largest integer a column holds."""

    default_error_messages = {
        "invalid": "debe ser un número entero; se recibió {shown}.",
        # Django's validators fill in %(value)s; DRF fills in {min_value}.
        "min_value": "debe ser un número entero de {min_value} en adelante; se recibió %(value)s.",
        "max_value": "el número %(value)s es demasiado grande.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_INTEGER)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, float) and data.is_integer():
            data = int(data)
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid", shown=show(data))
        return data


class Number(DocumentValue, serializers.Field):
    """A JSON number, never a quoted one, as Decimal(str(number)) so 2.5 stays exactly 2.5.

    It must fit its column: at most `places` decimals, and within `minimum` (excluded when
    `exclusive_minimum`) and `maximum`. Each use words its range in error_messages["out_of_range"].
    """

    default_error_messages = {
        "invalid": "debe ser un número sin comillas; se recibió {shown}.",
        "not_finite": "debe ser un número finito.",
        "max_decimal_places": "admite como máximo {places} decimales; se recibió {value}.",
        "out_of_range": "debe estar entre {minimum} y {maximum}; se recibió {value}.",
    }

    def __init__(self, *, places, minimum, maximum, exclusive_minimum=False, **kwargs):
        self.places = places
        self.minimum = Decimal(minimum)
        self.maximum = Decimal(maximum)
        self.exclusive_minimum = exclusive_minimum
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid", shown=show(data))
        if isinstance(data, float) and not math.isfinite(data):
            self.fail("not_finite")
        number = Decimal(str(data))
        if -number.normalize().as_tuple().exponent > self.places:
            self.fail("max_decimal_places", places=self.places, value=data)
        above = number > self.minimum if self.exclusive_minimum else number >= self.minimum
        if not (above and number <= self.maximum):
            self.fail("out_of_range", minimum=self.minimum, maximum=self.maximum, value=number)
        return number


class IsoDate(DocumentValue, serializers.Field):
    """A date written YYYY-MM-DD, the only form the document takes."""

    default_error_messages = {
        "invalid": "debe ser una fecha AAAA-MM-DD; se recibió {shown}.",
        "no_such_date": "la fecha {value} no existe.",
    }

    def to_internal_value(self, data):
        if not isinstance(data, str) or not _DATE_PATTERN.fullmatch(data.strip()):
            self.fail("invalid", shown=show(data))
        try:
            return datetime.date.fromisoformat(data.strip())
        except ValueError:
            self.fail("no_such_date", value=data.strip())


class Choice(DocumentValue, serializers.ChoiceField):
    """One of the choices' values, ignoring case and surrounding spaces."""

    default_error_messages = {"invalid_choice": "{shown} no es válido; use {options}."}

    def to_internal_value(self, data):
        if isinstance(data, str) and data.strip().lower() in self.choice_strings_to_values:
            return self.choice_strings_to_values[data.strip().lower()]
        self.fail("invalid_choice", shown=show(data), options=options(self.choices))


class Items(DocumentValue, serializers.ListField):
    """An optional list: absent or null is an empty list."""

    default_error_messages = {"not_a_list": "debe ser una lista ([...])."}

    def __init__(self, **kwargs):
        super().__init__(required=False, default=list, **kwargs)


class JsonObject(DocumentValue, serializers.Serializer):
    """An object of the document: its fields, declared in the order they are checked."""

    # DRF formats this message, so the braces are doubled.
    default_error_messages = {"invalid": "debe ser un objeto JSON ({{...}})."}
