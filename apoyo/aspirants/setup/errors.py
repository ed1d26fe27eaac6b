"""The one-line Spanish error of a setup document that cannot be loaded."""

from rest_framework.settings import api_settings


class SetupError(Exception):
    """The setup document cannot be loaded: one Spanish line naming where the problem is."""

    def __init__(self, message):
        # One line always: values quoted from the file may hold line breaks.
        super().__init__(" ".join(str(message).split()))


def error_at(path, text):
    """A SetupError "path: text"; a problem of the whole document starts with a capital instead."""
    if not path:
        return SetupError(text[:1].upper() + text[1:])
    return SetupError(f"{path}: {text}")


def first_error(detail):
    """The first problem of a serializer's `errors`, as a SetupError naming its place.

    CONTRACT.md asks for one line, so only the first problem is reported. DRF keeps an object's
    errors in the order of its declared fields and a list's by index, and the serializers declare
    their fields in document order, so the first entry is the first problem of the document.
    """
    path = ""
    while not isinstance(detail, str):
        if isinstance(detail, list):
            detail = detail[0]
            continue
        key, detail = next(iter(detail.items()))
        path = _place(path, key)
    return error_at(path, str(detail))


def _place(path, key):
    if key == api_settings.NON_FIELD_ERRORS_KEY:
        return path
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key
