"""The carga masiva template the OPL capturistas download, as XLSX and as CSV.

The XLSX guides the capture inside Excel: key columns formatted as text (Excel never turns an OCR
into a number), data validations on the clave, the OCR, the tipo de inconsistencia and the date,
an "Instrucciones" sheet with every rule of CONTRACT.md upload_supports and the OPL's catalogue.
The upload reads only the first sheet, so the guide sheets never reach it.
"""

import codecs
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import xlsxwriter

from apoyo.core.exports import safe_cell
from apoyo.supports.rules import (
    COLUMN_LABELS,
    COLUMNS,
    MAX_COMMENT_LENGTH,
    MAX_NAME_LENGTH,
    MAX_REFERENCE_LENGTH,
    OPTIONAL_COLUMNS,
)

TEMPLATE_COLUMNS = [*COLUMNS, *OPTIONAL_COLUMNS]
SUPPORTS_SHEET = "Apoyos"
INSTRUCTIONS_SHEET = "Instrucciones"
CATALOGUE_SHEET = "Catalogo"
DATA_ROWS = 200_000  # validations cover rows 2..200001
DATE_COLUMN = "FECHA_APOYO"
DATE_FORMAT = "dd/mm/yyyy"
TEXT_FORMAT = "@"
DATE_MIN = date(2000, 1, 1)
DATE_MAX = date(2100, 12, 31)
ELECTOR_KEY_LENGTH = 18
OCR_LENGTH = 13

_LINE_HEIGHT = 15
_RULE_WIDTH = 90
_NOTES_WIDTH = 150


@dataclass(frozen=True, slots=True)
class ColumnGuide:
    """How one template column is explained: whether it is required, its full rule for the
    Instrucciones sheet, a short hint for the header comment and its width in the Apoyos sheet."""

    required: str
    rule: str
    hint: str
    width: int


GUIDES = {
    "NUMERO_REFERENCIA": ColumnGuide(
        "Sí",
        "Folio (número de referencia) de la cédula de apoyo ciudadano. No puede quedar vacío; "
        f"hasta {MAX_REFERENCE_LENGTH} caracteres.",
        "Obligatorio. Folio de la cédula de apoyo.",
        20,
    ),
    "NOMBRE": ColumnGuide(
        "Sí",
        f"Nombre(s) del ciudadano. No puede quedar vacío; hasta {MAX_NAME_LENGTH} caracteres.",
        "Obligatorio. Nombre(s) del ciudadano.",
        24,
    ),
    "APELLIDO_PATERNO": ColumnGuide(
        "Al menos un apellido",
        "Apellido paterno del ciudadano. Se requiere al menos un apellido: puede quedar vacío "
        f"solo si se captura el apellido materno. Hasta {MAX_NAME_LENGTH} caracteres.",
        "Se requiere al menos un apellido (paterno o materno).",
        22,
    ),
    "APELLIDO_MATERNO": ColumnGuide(
        "Al menos un apellido",
        "Apellido materno del ciudadano. Se requiere al menos un apellido: puede quedar vacío "
        f"solo si se captura el apellido paterno. Hasta {MAX_NAME_LENGTH} caracteres.",
        "Se requiere al menos un apellido (paterno o materno).",
        22,
    ),
    "CLAVE_ELECTOR": ColumnGuide(
        "Sí",
        "Clave de elector de 18 caracteres: 6 letras, 8 dígitos (fecha de nacimiento AAMMDD y "
        "entidad de nacimiento), H o M, y 3 dígitos. Por ejemplo: GMLPJN85031209H100 (Juan Gómez López). "
        "Los espacios y guiones se eliminan y las minúsculas se convierten en mayúsculas.",
        "Obligatorio. 18 caracteres: 6 letras, 8 dígitos, H o M y 3 dígitos.",
        22,
    ),
    "OCR": ColumnGuide(
        "Sí",
        "Los 13 dígitos del OCR de la credencial para votar. La columna tiene formato de texto "
        "para que Excel no quite los ceros iniciales ni lo convierta en notación científica.",
        "Obligatorio. Exactamente 13 dígitos.",
        17,
    ),
    "TIPO_INCONSISTENCIA": ColumnGuide(
        "No",
        f"Una clave de la hoja «{CATALOGUE_SHEET}» (elíjala de la lista desplegable), o vacío si "
        "la cédula no presenta inconsistencia.",
        f"Opcional. Clave de la hoja {CATALOGUE_SHEET} o vacío.",
        26,
    ),
    "COMENTARIO": ColumnGuide(
        "No",
        f"Texto libre, hasta {MAX_COMMENT_LENGTH} caracteres.",
        "Opcional. Texto libre.",
        40,
    ),
    "FECHA_APOYO": ColumnGuide(
        "No",
        "Fecha en que se obtuvo el apoyo: AAAA-MM-DD, DD/MM/AAAA o una fecha de Excel. Debe "
        "estar dentro del periodo de obtención de apoyo ciudadano del cargo. Si queda vacía, o "
        "si la columna se omite, se toma la fecha de la carga.",
        "Opcional. Fecha dentro del periodo de obtención de apoyo; vacía = fecha de la carga.",
        14,
    ),
}

GENERAL_NOTES = [
    f"Solo se lee la primera hoja del libro («{SUPPORTS_SHEET}»); las demás hojas se ignoran.",
    "Los nombres de las columnas de la fila 1 deben conservarse tal como están; el orden de las "
    "columnas puede cambiar.",
    "Las columnas adicionales se ignoran.",
    "Las filas vacías se ignoran.",
    "Una fila cuyo número de referencia y clave de elector ya están registrados para el "
    "aspirante se omite como ya registrada: subir el mismo archivo dos veces no duplica apoyos.",
    "Cada fila con errores se informa con su número de fila, la columna y el motivo; las filas "
    "correctas se registran.",
    "También se acepta un archivo CSV con el mismo encabezado, en UTF-8 o Windows-1252 (ANSI), "
    "separado por comas o por punto y coma.",
]


def template_csv() -> bytes:
    """The header line of the template, UTF-8 with BOM, comma separated, ended by CRLF."""
    line = ",".join(TEMPLATE_COLUMNS) + "\r\n"
    return codecs.BOM_UTF8 + line.encode("utf-8")


def template_xlsx(inconsistencies: Iterable[tuple[str, str]]) -> bytes:
    """The guided template: sheets Apoyos (read by the upload), Instrucciones and Catalogo, the
    last listing the (code, description) pairs of the OPL's catalogue."""
    catalogue = list(inconsistencies)
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output)
    _supports_sheet(workbook, len(catalogue))
    _instructions_sheet(workbook)
    _catalogue_sheet(workbook, catalogue)
    workbook.close()
    return output.getvalue()


# Apoyos -------------------------------------------------------------------------------------------


def _supports_sheet(workbook, catalogue_size: int) -> None:
    sheet = workbook.add_worksheet(SUPPORTS_SHEET)
    header = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
    text = workbook.add_format({"num_format": TEXT_FORMAT})
    dated = workbook.add_format({"num_format": DATE_FORMAT})
    for col, name in enumerate(TEMPLATE_COLUMNS):
        guide = GUIDES[name]
        sheet.set_column(col, col, guide.width, dated if name == DATE_COLUMN else text)
        sheet.write_string(0, col, name, header)
        sheet.write_comment(0, col, f"{COLUMN_LABELS[name]}. {guide.hint}", {"x_scale": 2})
        validation = _validation(name, catalogue_size)
        if validation:
            sheet.data_validation(1, col, DATA_ROWS, col, validation)
    sheet.freeze_panes(1, 0)


def _validation(name: str, catalogue_size: int) -> dict | None:
    """The Excel data validation of a column, or None for columns validated only on upload."""
    if name == "CLAVE_ELECTOR":
        return _length_validation(
            ELECTOR_KEY_LENGTH,
            "Clave de elector",
            "Clave de elector no válida",
            "18 caracteres: 6 letras, 8 dígitos (fecha de nacimiento y entidad), H o M y 3 "
            "dígitos.",
            "La clave de elector debe tener exactamente 18 caracteres, sin espacios: 6 letras, "
            "8 dígitos, H o M y 3 dígitos.",
        )
    if name == "OCR":
        return _length_validation(
            OCR_LENGTH,
            "OCR",
            "OCR no válido",
            "Los 13 dígitos del OCR de la credencial.",
            "El OCR debe tener exactamente 13 dígitos, sin espacios.",
        )
    if name == "TIPO_INCONSISTENCIA":
        return _inconsistency_validation(catalogue_size)
    if name == DATE_COLUMN:
        return _date_validation()
    return None


def _length_validation(length: int, title: str, error_title: str, hint: str, error: str) -> dict:
    return {
        "validate": "length",
        "criteria": "==",
        "value": length,
        "ignore_blank": True,
        "input_title": title,
        "input_message": hint,
        "error_title": error_title,
        "error_message": error,
    }


def _inconsistency_validation(catalogue_size: int) -> dict:
    """A drop-down list over the catalogue sheet; with an empty catalogue every tipo would be
    rejected on upload, so the cell must stay blank."""
    messages = {
        "ignore_blank": True,
        "input_title": "Tipo de inconsistencia",
        "error_title": "Tipo no válido",
    }
    if catalogue_size == 0:
        return {
            **messages,
            "validate": "length",
            "criteria": "==",
            "value": 0,
            "input_message": "El catálogo no tiene tipos de inconsistencia: deje la celda vacía.",
            "error_message": "El catálogo no tiene tipos de inconsistencia: deje la celda vacía.",
        }
    return {
        **messages,
        "validate": "list",
        "source": f"={CATALOGUE_SHEET}!$A$2:$A${catalogue_size + 1}",
        "input_message": f"Elija una clave de la lista (hoja {CATALOGUE_SHEET}) o deje la celda "
        "vacía si la cédula no presenta inconsistencia.",
        "error_message": f"Use una clave de la hoja {CATALOGUE_SHEET} o deje la celda vacía.",
    }


def _date_validation() -> dict:
    return {
        "validate": "date",
        "criteria": "between",
        "minimum": DATE_MIN,
        "maximum": DATE_MAX,
        "ignore_blank": True,
        "input_title": "Fecha del apoyo",
        "input_message": "DD/MM/AAAA, dentro del periodo de obtención de apoyo. Vacía: se toma "
        "la fecha de la carga.",
        "error_title": "Fecha no válida",
        "error_message": "Escriba una fecha válida como DD/MM/AAAA (entre 01/01/2000 y "
        "31/12/2100), o deje la celda vacía.",
    }


# Instrucciones ------------------------------------------------------------------------------------


def _row_height(text: str, width: int) -> float:
    """Wrapped text does not grow its row by itself in every spreadsheet program: estimate."""
    return _LINE_HEIGHT * max(1, math.ceil(len(text) / width))


def _instructions_sheet(workbook) -> None:
    sheet = workbook.add_worksheet(INSTRUCTIONS_SHEET)
    title = workbook.add_format({"bold": True, "font_size": 14})
    bold = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 24)
    sheet.set_column(2, 2, 20)
    sheet.set_column(3, 3, _RULE_WIDTH)
    sheet.write_string(0, 0, "Instrucciones para la carga masiva de apoyos ciudadanos", title)
    sheet.write_string(
        1, 0, f"Capture un apoyo por fila en la hoja «{SUPPORTS_SHEET}» a partir de la fila 2."
    )
    for col, text in enumerate(["Columna", "Dato", "Obligatoria", "Regla"]):
        sheet.write_string(3, col, text, bold)
    row = 4
    for row, name in enumerate(TEMPLATE_COLUMNS, start=4):
        guide = GUIDES[name]
        values = [name, COLUMN_LABELS[name], guide.required, guide.rule]
        for col, value in enumerate(values):
            sheet.write_string(row, col, value, wrap)
        sheet.set_row(row, _row_height(guide.rule, _RULE_WIDTH))
    _write_notes(sheet, row + 2, title, wrap)


def _write_notes(sheet, first_row: int, title, wrap) -> None:
    sheet.write_string(first_row, 0, "Notas generales", title)
    for row, note in enumerate(GENERAL_NOTES, start=first_row + 1):
        sheet.merge_range(row, 0, row, 3, f"• {note}", wrap)
        sheet.set_row(row, _row_height(note, _NOTES_WIDTH))


# Catalogo -----------------------------------------------------------------------------------------


def _catalogue_sheet(workbook, catalogue: list[tuple[str, str]]) -> None:
    """Codes and descriptions go through safe_cell like every written text: a code is letters,
    digits and "_", which it leaves as they are, so the drop-down copies exactly what the upload
    compares; only a code an administrator wrote as a formula would be neutralised."""
    sheet = workbook.add_worksheet(CATALOGUE_SHEET)
    bold = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 60)
    sheet.write_string(0, 0, "CLAVE", bold)
    sheet.write_string(0, 1, "DESCRIPCION", bold)
    for row, (code, description) in enumerate(catalogue, start=1):
        sheet.write_string(row, 0, safe_cell(str(code)))
        sheet.write_string(row, 1, safe_cell(str(description)))
    sheet.freeze_panes(1, 0)
