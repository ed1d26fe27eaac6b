"""The upload field every data-file form uses (carga masiva, roll cuts, INE answers)."""

from django import forms

# A request a little larger than the file limit still fits the multipart envelope.
ENVELOPE_BYTES = 64 * 1024


def too_large_message(max_bytes):
    return f"El archivo excede el límite de {max_bytes // (1024 * 1024)} MB."


def request_too_large(request, max_bytes):
    """Whether the request body is over the limit, judged from its header before Django reads it."""
    return int(request.META.get("CONTENT_LENGTH") or 0) > max_bytes + ENVELOPE_BYTES


class DataFileField(forms.FileField):
    """A CSV/XLSX (or gzip) upload: known extension, not empty, within the size limit.

    The content is checked later by apoyo.core.tabular; here only what the browser already told us.
    """

    def __init__(self, *, extensions, max_bytes, formats, **kwargs):
        super().__init__(**kwargs)
        self.extensions = tuple(extensions)
        self.max_bytes = max_bytes  # a callable, so tests and settings can change the limit
        self.formats = formats
        self.widget.attrs["accept"] = ",".join(
            sorted({"." + e.rsplit(".", 1)[-1] for e in extensions})
        )

    def clean(self, data, initial=None):
        received = super().clean(data, initial)
        if received is None:
            return received
        if not received.name.lower().endswith(self.extensions):
            raise forms.ValidationError(f"Formato no admitido: use {self.formats}.")
        if received.size == 0:
            raise forms.ValidationError("El archivo está vacío.")
        if received.size > self.max_bytes():
            raise forms.ValidationError(too_large_message(self.max_bytes()))
        return received
