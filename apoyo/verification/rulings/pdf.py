"""The dictamen as a PDF, drawn with reportlab from the figures stored with it (figures.py): the
OPL's heading and logo, the legal basis, a cover with the office, the compulsa, the hearing and the
outcome of every aspirant, the signature block, then one section per aspirant; every page says
"Página N de M"."""

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from apoyo.core.display import number, percent
from apoyo.verification.rulings.figures import (
    hearing_summary,
    hearing_text,
    outcome_text,
    units_text,
)

INK = colors.HexColor("#1f2328")
LINE = colors.HexColor("#8c959f")
HEAD = colors.HexColor("#eef1f4")
GREEN = colors.HexColor("#1a7f37")
RED = colors.HexColor("#cf222e")
MARGIN = 1.8 * cm


def styles():
    sheet = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("title", parent=sheet["Title"], fontSize=16, leading=20),
        "h2": ParagraphStyle("h2", parent=sheet["Heading2"], fontSize=13, spaceBefore=10),
        "h3": ParagraphStyle("h3", parent=sheet["Heading3"], fontSize=11, spaceBefore=8),
        "body": ParagraphStyle("body", parent=sheet["BodyText"], fontSize=9.5, leading=12.5),
        "small": ParagraphStyle("small", parent=sheet["BodyText"], fontSize=8, leading=10),
        "center": ParagraphStyle("center", parent=sheet["BodyText"], alignment=TA_CENTER),
    }


def table(rows, widths, numeric=(1,)):
    """A grid with a shaded header repeated on every page; `numeric` columns right-aligned, and
    counts written with thousands separators as on the page (core.display.number)."""
    rows = [[number(cell) if type(cell) is int else cell for cell in row] for row in rows]
    t = Table(rows, colWidths=widths, repeatRows=1)
    commands = [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 8.5),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD),
        ("GRID", (0, 0), (-1, -1), 0.4, LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    commands += [("ALIGN", (col, 1), (col, -1), "RIGHT") for col in numeric]
    t.setStyle(TableStyle(commands))
    return t


def p(text, style):
    # Paragraph reads its text as markup: names and arguments are escaped to stay plain text.
    return Paragraph(escape(str(text)), style)


class NumberedCanvas(Canvas):
    """Holds each page until the last, so every footer can say how many pages there are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages = []

    def showPage(self):  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for page in self._pages:
            self.__dict__.update(page)
            self.setFont("Helvetica", 7.5)
            self.setFillColor(INK)
            self.drawRightString(
                letter[0] - MARGIN, 1.0 * cm, f"Página {self._pageNumber} de {total}"
            )
            super().showPage()
        super().save()


def ruling_pdf(figures, logo=None):
    """The dictamen as PDF bytes, drawn from the stored figures (and the OPL's logo, when it
    has one)."""
    buffer = io.BytesIO()
    office = figures["office"]
    doc = SimpleDocTemplate(
        buffer,
        pagesize=letter,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"Dictamen {figures['number']} · {office['name']}",
        author=figures["generated_by"],
        subject="Dictamen de apoyo ciudadano",
    )
    s = styles()
    story = heading(figures, logo, s) + cover(figures, s) + signature(figures, s)
    for aspirant in figures["aspirants"]:
        story.append(PageBreak())
        story.extend(aspirant_section(aspirant, figures, s))

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(INK)
        canvas.drawString(
            MARGIN,
            1.0 * cm,
            f"Dictamen N.º {figures['number']} · {office['name']} · generado el "
            f"{figures['generated_at']} · compulsa N.º {figures['run']['number']}",
        )
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer, canvasmaker=NumberedCanvas)
    return buffer.getvalue()


def heading(figures, logo, s):
    """The issuing OPL: its logo (when readable as an image), name and heading."""
    institute = figures.get("institute") or {}
    story = []
    if logo:
        try:
            reader = ImageReader(io.BytesIO(logo))
            width, height = reader.getSize()
            story.append(Image(io.BytesIO(logo), width=3 * cm, height=3 * cm * height / width))
        except Exception:  # noqa: BLE001 - a broken logo must not stop the dictamen
            story = []
    if institute.get("name"):
        story.append(p(institute["name"], s["center"]))
    if institute.get("heading"):
        story.append(p(institute["heading"], s["center"]))
    return story + [Spacer(1, 6)]


def signature(figures, s):
    """The legal basis, any dictamen superseded, and the signature block of who approves it."""
    story = []
    if figures.get("legal_basis"):
        story += [p("Fundamento legal", s["h2"]), p(figures["legal_basis"], s["body"])]
    if figures.get("no_hearing_reason"):
        story.append(
            p(f"Se emite sin garantía de audiencia: {figures['no_hearing_reason']}", s["body"])
        )
    superseded = figures.get("supersedes")
    if superseded:
        story.append(
            p(
                f"Sustituye al dictamen N.º {superseded['number']}. Motivo: {superseded['reason']}",
                s["body"],
            )
        )
    signatory = figures.get("signatory") or {}
    if signatory.get("name"):
        story += [
            Spacer(1, 36),
            p("_" * 40, s["center"]),
            p(signatory["name"], s["center"]),
            p(signatory["role"], s["center"]),
            p((figures.get("institute") or {}).get("name", ""), s["center"]),
        ]
    return story


def cover(figures, s):
    office, run = figures["office"], figures["run"]
    story = [
        p("Dictamen sobre el apoyo ciudadano de las personas aspirantes", s["title"]),
        p(f"{office['name']} ({office['code']}) · {office['process']}", s["center"]),
        Spacer(1, 8),
        p(
            f"Ámbito: {office['scope']}. Periodo de obtención de apoyo: {office['collection']}. "
            f"Porcentaje requerido: {percent(office['threshold_percent'])} de la Lista Nominal.",
            s["body"],
        ),
    ]
    if office["dispersion"]:
        story.append(p(f"Regla de dispersión: {office['dispersion']}.", s["body"]))
    story.append(
        p(
            f"Resultados de la compulsa N.º {run['number']} ({run['source']}, corte de la Lista "
            f"Nominal {run['cut_date'] or '—'}), terminada el {run['finished_at']}, con "
            f"{number(run['supports'])} apoyos revisados. Dictamen N.º {figures['number']} "
            f"generado el {figures['generated_at']} por {figures['generated_by'] or 'el sistema'}.",
            s["body"],
        )
    )
    summary = hearing_summary(figures)
    story.append(
        p(f"Garantía de audiencia: {summary}" if figures["windows"] else summary, s["body"])
    )
    story.append(p("Resultado por aspirante", s["h2"]))
    story.append(outcome_table(figures["aspirants"], s))
    story.append(Spacer(1, 6))
    story.append(
        p(
            f"Cumplen los requisitos {number(figures['meet'])} de "
            f"{number(len(figures['aspirants']))} aspirantes.",
            s["body"],
        )
    )
    return story


def outcome_table(aspirants, s):
    """One row per aspirant with the outcome in green (cumple) or red (no cumple)."""
    rows = [["Clave", "Aspirante", "Capturados", "Válidos", "Requeridos", "Unidades", "Resultado"]]
    for a in aspirants:
        rows.append(
            [
                a["code"],
                p(a["name"], s["small"]),
                a["captured"],
                a["valid"],
                a["required"],
                units_text(a),
                "CUMPLE" if a["meets"] else "NO CUMPLE",
            ]
        )
    if len(rows) == 1:
        rows.append(["", "El cargo no tiene aspirantes.", "", "", "", "", ""])
    t = table(
        rows,
        [1.8 * cm, 5.6 * cm, 2 * cm, 1.8 * cm, 2 * cm, 1.8 * cm, 2.6 * cm],
        numeric=(2, 3, 4, 5),
    )
    style = []
    for row, a in enumerate(aspirants, start=1):
        style.append(("TEXTCOLOR", (6, row), (6, row), GREEN if a["meets"] else RED))
        style.append(("FONT", (6, row), (6, row), "Helvetica-Bold", 8.5))
    t.setStyle(TableStyle(style))
    return t


def aspirant_section(a, figures, s):
    story = [
        p(f"{a['code']} · {a['name']}", s["h2"]),
        p(outcome_text(a), s["h3"]),
    ]
    facts = [
        ["Lista Nominal del ámbito", a["nominal_list"]],
        ["Apoyos requeridos", a["required"]],
        ["Apoyos capturados", a["captured"]],
        ["Apoyos válidos", a["valid"]],
        ["Porcentaje de la Lista Nominal", percent(a["percent"])],
    ]
    if a["valid_before_hearing"] is not None:
        facts.append(
            ["Apoyos válidos antes de la garantía de audiencia", a["valid_before_hearing"]]
        )
    if a["units_required"] is not None:
        facts.append(["Unidades que cumplen / requeridas", units_text(a)])
    story.append(KeepTogether(table([["Concepto", "Cifra"], *facts], [10 * cm, 4 * cm])))
    story.append(p("Apoyos que no cuentan, por motivo", s["h3"]))
    motives = [[m["label"], m["count"]] for m in a["motives"]]
    story.append(KeepTogether(table([["Motivo", "Apoyos"], *motives], [10 * cm, 4 * cm])))
    story.append(p("Garantía de audiencia", s["h3"]))
    story.extend(hearing_block(a["hearing"], s))
    if a["units"]:
        unit = figures["office"]["dispersion_unit"].lower()
        story.append(p(f"Dispersión por {unit}", s["h3"]))
        story.append(units_table(a["units"], s))
    return story


def units_table(units, s):
    rows = [["Unidad", "Lista Nominal", "Requeridos", "Válidos", "Cumple"]]
    rows += [
        [
            p(u["name"], s["small"]),
            u["nominal_list"],
            u["required"],
            u["valid"],
            "Sí" if u["met"] else "No",
        ]
        for u in units
    ]
    return table(rows, [6 * cm, 2.8 * cm, 2.6 * cm, 2.4 * cm, 2 * cm], numeric=(1, 2, 3))


def hearing_block(hearing, s):
    story = [p(hearing_text(hearing), s["body"])]
    if not hearing["requests"]:
        return story
    rows = [["N.º", "Presentada", "Apoyos", "Resolución", "Fundamento"]]
    for r in hearing["requests"]:
        rows.append(
            [
                r["number"],
                r["filed_at"],
                r["supports"],
                r["status_label"],
                p(r["resolution"] or "—", s["small"]),
            ]
        )
    story.append(table(rows, [1.4 * cm, 3 * cm, 1.6 * cm, 2.8 * cm, 7 * cm], numeric=(0, 2)))
    return story
