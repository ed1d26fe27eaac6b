import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apoyo.core.filetypes import DOCUMENTS, IMAGES, SCANS, check_upload, detect, sha256_of

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32


def zipped(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"})
XLSX = zipped({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<w/>"})
ODT = zipped({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})
PLAIN_ZIP = zipped({"notes.txt": "hola"})


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF, "pdf"),
        (JPEG, "jpeg"),
        (PNG, "png"),
        (WEBP, "webp"),
        (DOCX, "docx"),
        (XLSX, "xlsx"),
        (ODT, "odf"),
        (PLAIN_ZIP, None),
        (b"MZ\x90\x00 an executable", None),
        (b"<html><script>", None),
    ],
)
def test_kind_is_read_from_the_content(data, kind):
    assert detect(io.BytesIO(data)) == kind


def test_a_renamed_executable_is_refused_whatever_its_name():
    upload = SimpleUploadedFile("cedula.pdf", b"MZ\x90\x00", content_type="application/pdf")
    with pytest.raises(ValidationError, match="no es de un tipo reconocido"):
        check_upload(upload, SCANS, 1000)


def test_a_pdf_named_as_a_picture_is_judged_as_pdf():
    upload = SimpleUploadedFile("foto.jpg", PDF, content_type="image/jpeg")
    assert check_upload(upload, SCANS, 1000) == "pdf"
    with pytest.raises(ValidationError, match="es PDF por su contenido"):
        check_upload(upload, IMAGES, 1000)


def test_size_and_empty_files_are_refused_with_a_spanish_message():
    with pytest.raises(ValidationError, match="el máximo es"):
        check_upload(SimpleUploadedFile("a.pdf", PDF), DOCUMENTS, 10)
    with pytest.raises(ValidationError, match="está vacío"):
        check_upload(SimpleUploadedFile("a.pdf", b""), DOCUMENTS, 10)


def test_check_leaves_the_file_ready_to_be_read_again():
    upload = SimpleUploadedFile("a.docx", DOCX)
    check_upload(upload, DOCUMENTS, 10_000)
    assert upload.read() == DOCX


def test_a_zip_with_an_unknown_compression_method_is_refused_not_a_crash():
    data = bytearray(zipped({"mimetype": b"application/vnd.oasis.opendocument.text"}))
    # The local header's and the central directory's compression method: 99 (AES), which
    # zipfile cannot unpack.
    local = data.index(b"PK\x03\x04")
    data[local + 8 : local + 10] = (99).to_bytes(2, "little")
    central = data.index(b"PK\x01\x02")
    data[central + 10 : central + 12] = (99).to_bytes(2, "little")
    assert detect(io.BytesIO(bytes(data))) is None
    upload = SimpleUploadedFile("oficio.odt", bytes(data))
    with pytest.raises(ValidationError):
        check_upload(upload, DOCUMENTS, 1024 * 1024)


def test_sha256_of_reads_the_whole_file_and_leaves_it_rewound():
    data = PDF * 100_000  # several blocks
    file = io.BytesIO(data)
    file.seek(10)
    assert sha256_of(file) == hashlib.sha256(data).hexdigest()
    assert file.tell() == 0
