"""Small builders for the SIVOPLE tests."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from apoyo.accounts.models import Role
from apoyo.liaison.answers import approve_answer, forward_answer, save_answer
from apoyo.liaison.assignments import assign
from apoyo.liaison.models import Area, AreaMember, DocumentType
from apoyo.liaison.workflow import register
from apoyo.testing.factories import make_user


def pdf(name="oficio.pdf", body=b"contenido"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + body + b"\n%%EOF\n", "application/pdf")


def png(name="foto.png"):
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "image/png")


def docx(name="anexo.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def doc_type(code="CONSULTA"):
    return DocumentType.objects.get(code=code)


def area(code="DERFE"):
    return Area.objects.get(code=code)


def member(area_code="DERFE", is_head=False, role=Role.INE_AREA, **fields):
    user = make_user(role, **fields)
    if "email" not in fields:
        user.email = f"{user.username}@ine.example"
        user.save(update_fields=["email"])
    AreaMember.objects.create(area=area(area_code), user=user, is_head=is_head)
    return user


class World:
    """An OPL of Sonora, one of Chihuahua, UTVOPL, DERFE (member and head) and DEPPP (member)."""

    def __init__(self):
        self.opl = make_user(Role.OPL_CAPTURIST, state_number=26, email="captura@iee.example")
        self.opl_admin = make_user(Role.OPL_ADMIN, state_number=26, email="admin@iee.example")
        self.other_opl = make_user(Role.OPL_ADMIN, state_number=8, email="admin@iee-chih.example")
        self.utvopl = make_user(
            Role.INE_UTVOPL, first_name="Ulises", last_name="Vinculación", email="u@ine.example"
        )
        self.derfe = member("DERFE", role=Role.INE_DERFE, first_name="Diana")
        self.derfe_head = member("DERFE", is_head=True, role=Role.INE_DERFE, first_name="Dora")
        self.deppp = member("DEPPP", first_name="Pablo")

    def register(self, user=None, code="CONSULTA", files=(), **fields):
        values = {
            "opl_folio": "IEE-PRESI-137-2020",
            "subject": "Captura de cédulas en papel",
            "description": "Se hace consulta en materia de candidaturas independientes.",
        }
        values.update(fields)
        return register(user or self.opl, doc_type(code), files=files, **values)

    def assigned(self, area_code="DERFE", **fields):
        consultation = self.register(**fields)
        assign(self.utvopl, consultation, [area(area_code)])
        consultation.refresh_from_db()
        return consultation

    def answered(self, forward=True, **fields):
        """A consultation assigned to DERFE whose answer was approved (and forwarded)."""
        consultation = self.assigned(**fields)
        assignment = consultation.assignments.get()
        answer = save_answer(self.derfe, assignment, "Respuesta de la DERFE.")
        approve_answer(self.derfe_head, answer)
        if forward:
            forward_answer(self.utvopl, answer)
        consultation.refresh_from_db()
        answer.refresh_from_db()
        return consultation, answer
