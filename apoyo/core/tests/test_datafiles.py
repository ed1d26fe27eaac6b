import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import ValidationError
from django.test import RequestFactory

from apoyo.core.datafiles import DataFileField, request_too_large


def field(limit=100):
    return DataFileField(
        extensions=(".csv", ".xlsx"), max_bytes=lambda: limit, formats="CSV o XLSX"
    )


def test_data_file_field_accepts_a_known_extension_within_the_limit():
    received = SimpleUploadedFile("Datos.CSV", b"A,B\n1,2\n")
    assert field().clean(received) is received
    assert field().widget.attrs["accept"] == ".csv,.xlsx"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("datos.pdf", b"x", "Formato no admitido: use CSV o XLSX."),
        ("datos.csv", b"x" * 101, "excede el límite de 0 MB"),
    ],
)
def test_data_file_field_refuses_with_a_spanish_reason(name, content, message):
    with pytest.raises(ValidationError) as error:
        field().clean(SimpleUploadedFile(name, content))
    assert message in str(error.value)


def test_request_too_large_is_judged_from_the_header_alone():
    request = RequestFactory().post("/", content_type="text/plain", data="")
    request.META["CONTENT_LENGTH"] = str(10 * 1024 * 1024)
    assert request_too_large(request, 1024 * 1024)
    assert not request_too_large(request, 20 * 1024 * 1024)
