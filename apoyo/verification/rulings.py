"""The dictamen (DOMAIN.md, lifecycle step 7; GLOSSARY: Ruling): the OPL's final statement, per
office, of each aspirant's valid supports against the required ones, the dispersion table, the
supports that do not count by motivo, the outcome of the garantía de audiencia and whether the
aspirant meets the requirements (cumple / no cumple).

The figures are computed once from the office's current compulsa and stored with the ruling as
JSON, so its page shows what was ruled even after later runs; the PDF is drawn from the same
figures with reportlab and stored beside them with its SHA-256.
"""

import hashlib
import io
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from apoyo.accounts.models import Role
from apoyo.verification import hearings
from apoyo.verification.models import (
    AspirantResult,
    HearingItem,
    HearingRequest,
    HearingWindow,
    Motive,
    RequestStatus,
    Ruling,
    UnitResult,
)
from apoyo.verification.services import active_run, current_run


class RulingError(Exception):
    """The dictamen cannot be generated; the message says why, in Spanish."""


# When a dictamen may be generated -----------------------------------------------------------------


def blockers(office, run):
    """Why the office's dictamen cannot be generated now, as Spanish sentences (empty: it can).

    The dictamen is the final statement, so it follows a finished compulsa, no compulsa may be
    under way, the garantía de audiencia must be over with every request resolved (DOMAIN.md:
    the OPL resolves each one and the result is recomputed before the dictamen), and the compulsa
    must be newer than the last upheld resolution."""
    if run is None:
        return ["El cargo aún no tiene compulsa terminada."]
    found = []
    if active_run(office) is not None:
        found.append("Hay una compulsa en curso para este cargo; espere a que termine.")
    window = hearings.unclosed_window(office)
    if window is not None:
        found.append(
            "La garantía de audiencia sigue abierta o programada hasta el "
            f"{window.end_date:%d/%m/%Y}; el dictamen se genera cuando termine."
        )
    requests = HearingRequest.objects.filter(window__office=office)
    pending = requests.filter(status=RequestStatus.FILED).count()
    if pending:
        found.append(f"Hay {pending} solicitudes de audiencia sin resolver.")
    last_upheld = (
        requests.filter(status=RequestStatus.UPHELD)
        .order_by("-resolved_at")
        .values_list("resolved_at", flat=True)
        .first()
    )
    if last_upheld and run.created_at < last_upheld:
        found.append(
            "La compulsa vigente es anterior a la última solicitud declarada procedente; "
            "ejecute la compulsa de nuevo para incluir sus correcciones."
        )
    return found


def generate_ruling(user, office):
    """Generate and store the dictamen of an office from its current compulsa (only an OPL
    administrator of the office's entity; refused while `blockers` finds any reason)."""
    if not (user.is_superuser or user.role == Role.OPL_ADMIN):
        raise RulingError("Solo un administrador del OPL puede generar el dictamen.")
    if not user.is_superuser and user.state_id != office.process.state_id:
        raise RulingError("El cargo no es de su entidad.")
    run = current_run(office)
    found = blockers(office, run)
    if found:
        raise RulingError(" ".join(found))
    with transaction.atomic():
        ruling = Ruling.objects.create(office=office, run=run, generated_by=user)
        ruling.figures = ruling_figures(ruling)
        pdf = ruling_pdf(ruling.figures)
        ruling.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        stamp = timezone.localtime(ruling.generated_at).strftime("%Y%m%d-%H%M")
        ruling.pdf.save(f"dictamen-{office.code}-{stamp}.pdf", ContentFile(pdf), save=False)
        ruling.save()
    return ruling


# The figures --------------------------------------------------------------------------------------


def date_text(value):
    return value.strftime("%d/%m/%Y") if value else ""


def datetime_text(value):
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def ruling_figures(ruling):
    """Everything the dictamen shows, as JSON-ready values (texts already formatted)."""
    office, run = ruling.office, ruling.run
    process = office.process
    windows = list(HearingWindow.objects.filter(office=office).order_by("start_date", "id"))
    valid_before = {}
    if windows:
        before = AspirantResult.objects.filter(run=windows[-1].run)
        valid_before = dict(before.values_list("aspirant_id", "valid"))
    units = units_by_aspirant(run)
    hearing = hearing_by_aspirant(office)
    results = AspirantResult.objects.filter(run=run).select_related("aspirant")
    aspirants = []
    for result in results.order_by("aspirant__code"):
        aspirant = result.aspirant
        aspirants.append(
            {
                "code": aspirant.code,
                "name": aspirant.full_name,
                "nominal_list": result.nominal_list,
                "required": result.required,
                "captured": result.captured,
                "valid": result.valid,
                "valid_before_hearing": valid_before.get(aspirant.pk),
                "percent": f"{result.percent:.2f}",
                "units_met": result.units_met,
                "units_required": result.units_required,
                "meets_threshold": result.valid >= result.required,
                "meets_dispersion": result.units_required is None
                or result.units_met >= result.units_required,
                "meets": result.meets,
                "motives": [
                    {"code": value, "label": label, "count": result.motive_counts.get(value, 0)}
                    for value, label in Motive.choices
                ],
                "units": units.get(aspirant.pk, []),
                "hearing": hearing.get(aspirant.pk, empty_hearing()),
            }
        )
    return {
        "number": ruling.pk,
        "generated_at": datetime_text(ruling.generated_at),
        "generated_by": str(ruling.generated_by or ""),
        "office": {
            "code": office.code,
            "name": office.name,
            "scope": office.scope_label(),
            "process": process.name,
            "state": str(process.state),
            "threshold_percent": f"{office.threshold_percent:.2f}",
            "collection": f"{date_text(office.collection_start)} al "
            f"{date_text(office.collection_end)}",
            "dispersion": dispersion_text(office),
            "dispersion_unit": office.get_dispersion_unit_display()
            if office.dispersion_unit
            else "",
        },
        "run": {
            "number": run.pk,
            "finished_at": datetime_text(run.finished_at),
            "source": run.get_source_display(),
            "cut_date": date_text(run.cut_date),
            "supports": run.supports,
        },
        "windows": [
            {
                "start": date_text(w.start_date),
                "end": date_text(w.end_date),
                "working_days": w.working_days,
                "run": w.run_id,
            }
            for w in windows
        ],
        "aspirants": aspirants,
        "meet": sum(1 for a in aspirants if a["meets"]),
    }


def dispersion_text(office):
    if not office.has_dispersion_rule:
        return ""
    if office.dispersion_min_units is not None:
        units = f"al menos {office.dispersion_min_units} unidades"
    else:
        fraction = office.dispersion_min_units_fraction * 100
        units = f"al menos el {fraction:.0f} % de las unidades"
    unit = office.get_dispersion_unit_display().lower()
    return (
        f"{units} ({unit}) con al menos el {office.dispersion_min_percent:.2f} % "
        "de su Lista Nominal en apoyos válidos"
    )


def units_by_aspirant(run):
    units = {}
    rows = UnitResult.objects.filter(run=run).order_by("aspirant_id", "unit_number")
    for u in rows.iterator(chunk_size=5000):
        units.setdefault(u.aspirant_id, []).append(
            {
                "number": u.unit_number,
                "name": u.unit_name or str(u.unit_number),
                "nominal_list": u.nominal_list,
                "required": u.required,
                "valid": u.valid,
                "met": u.met,
            }
        )
    return units


def empty_hearing():
    return {"filed": 0, "upheld": 0, "rejected": 0, "supports": 0, "corrected": 0, "requests": []}


def hearing_by_aspirant(office):
    """Per aspirant: requests by status, supports argued and supports corrected, and each
    request with its resolution."""
    hearing = {}
    requests = HearingRequest.objects.filter(window__office=office).order_by("filed_at", "id")
    supports = {}
    corrected = {}
    items = HearingItem.objects.filter(request__window__office=office)
    for request_id, changes in items.values_list("request_id", "changes"):
        supports[request_id] = supports.get(request_id, 0) + 1
        if changes:
            corrected[request_id] = corrected.get(request_id, 0) + 1
    for request in requests:
        entry = hearing.setdefault(request.aspirant_id, empty_hearing())
        entry[request.status] += 1
        entry["supports"] += supports.get(request.pk, 0)
        entry["corrected"] += corrected.get(request.pk, 0)
        entry["requests"].append(
            {
                "number": request.pk,
                "filed_at": datetime_text(request.filed_at),
                "supports": supports.get(request.pk, 0),
                "corrected": corrected.get(request.pk, 0),
                "status": request.status,
                "status_label": request.get_status_display(),
                "resolution": request.resolution,
                "resolved_at": datetime_text(request.resolved_at),
            }
        )
    return hearing


def outcome_text(aspirant):
    if aspirant["meets"]:
        return "CUMPLE"
    reasons = []
    if not aspirant["meets_threshold"]:
        reasons.append("no alcanza los apoyos requeridos")
    if not aspirant["meets_dispersion"]:
        reasons.append("no cumple la dispersión")
    return "NO CUMPLE: " + " y ".join(reasons) if reasons else "NO CUMPLE"


# The PDF ------------------------------------------------------------------------------------------

INK = colors.HexColor("#1f2328")
LINE = colors.HexColor("#8c959f")
HEAD = colors.HexColor("#eef1f4")
GREEN = colors.HexColor("#1a7f37")
RED = colors.HexColor("#cf222e")


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
    """A grid with a shaded header repeated on every page; `numeric` columns right-aligned."""
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
    return Paragraph(escape(str(text)), style)


def ruling_pdf(figures):
    """The dictamen as PDF bytes, drawn from the stored figures."""
    buffer = io.BytesIO()
    office = figures["office"]
    doc = SimpleDocTemplate(
        buffer,
        pagesize=letter,
        leftMargin=1.8 * cm,
        rightMargin=1.8 * cm,
        topMargin=1.8 * cm,
        bottomMargin=1.8 * cm,
        title=f"Dictamen {figures['number']} · {office['name']}",
        author=figures["generated_by"],
        subject="Dictamen de apoyo ciudadano",
    )
    s = styles()
    story = cover(figures, s)
    for aspirant in figures["aspirants"]:
        story.append(PageBreak())
        story.extend(aspirant_section(aspirant, figures, s))

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(INK)
        canvas.drawString(
            1.8 * cm,
            1.0 * cm,
            f"Dictamen N.º {figures['number']} · {office['name']} · generado el "
            f"{figures['generated_at']} · compulsa N.º {figures['run']['number']}",
        )
        canvas.drawRightString(letter[0] - 1.8 * cm, 1.0 * cm, f"Página {document.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def cover(figures, s):
    office, run = figures["office"], figures["run"]
    story = [
        p("Dictamen sobre el apoyo ciudadano de las personas aspirantes", s["title"]),
        p(f"{office['name']} ({office['code']}) · {office['process']}", s["center"]),
        Spacer(1, 8),
        p(
            f"Ámbito: {office['scope']}. Periodo de obtención de apoyo: {office['collection']}. "
            f"Porcentaje requerido: {office['threshold_percent']} % de la Lista Nominal.",
            s["body"],
        ),
    ]
    if office["dispersion"]:
        story.append(p(f"Regla de dispersión: {office['dispersion']}.", s["body"]))
    story.append(
        p(
            f"Resultados de la compulsa N.º {run['number']} ({run['source']}, corte de la Lista "
            f"Nominal {run['cut_date'] or '—'}), terminada el {run['finished_at']}, con "
            f"{run['supports']} apoyos revisados. Dictamen N.º {figures['number']} generado el "
            f"{figures['generated_at']} por {figures['generated_by'] or 'el sistema'}.",
            s["body"],
        )
    )
    summary = hearing_summary(figures)
    story.append(
        p(f"Garantía de audiencia: {summary}" if figures["windows"] else summary, s["body"])
    )
    story.append(p("Resultado por aspirante", s["h2"]))
    rows = [["Clave", "Aspirante", "Capturados", "Válidos", "Requeridos", "Unidades", "Resultado"]]
    for a in figures["aspirants"]:
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
    for row, a in enumerate(figures["aspirants"], start=1):
        style.append(("TEXTCOLOR", (6, row), (6, row), GREEN if a["meets"] else RED))
        style.append(("FONT", (6, row), (6, row), "Helvetica-Bold", 8.5))
    t.setStyle(TableStyle(style))
    story.append(t)
    story.append(Spacer(1, 6))
    story.append(
        p(
            f"Cumplen los requisitos {figures['meet']} de {len(figures['aspirants'])} aspirantes.",
            s["body"],
        )
    )
    return story


def hearing_summary(figures):
    """The hearing terms of the office, or that there was none."""
    windows = figures["windows"]
    if not windows:
        return "No se abrió garantía de audiencia para este cargo."
    terms = "; ".join(
        f"del {w['start']} al {w['end']} ({count(w['working_days'], 'día hábil', 'días hábiles')})"
        for w in windows
    )
    return f"{terms}."


def count(n, singular, plural):
    return f"{n} {singular if n == 1 else plural}"


def hearing_text(hearing):
    """One aspirant's hearing in a sentence."""
    if not hearing["requests"]:
        return "No presentó solicitudes de audiencia."
    return (
        f"Presentó {count(len(hearing['requests']), 'solicitud', 'solicitudes')} sobre "
        f"{count(hearing['supports'], 'apoyo', 'apoyos')}: "
        f"{count(hearing['upheld'], 'procedente', 'procedentes')} "
        f"({count(hearing['corrected'], 'apoyo corregido', 'apoyos corregidos')}), "
        f"{count(hearing['rejected'], 'improcedente', 'improcedentes')}"
        + (
            f" y {count(hearing['filed'], 'sin resolver', 'sin resolver')}."
            if hearing["filed"]
            else "."
        )
    )


def units_text(aspirant):
    if aspirant["units_required"] is None:
        return "—"
    return f"{aspirant['units_met']} / {aspirant['units_required']}"


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
        ["Porcentaje de la Lista Nominal", f"{a['percent']} %"],
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
        rows = [["Unidad", "Lista Nominal", "Requeridos", "Válidos", "Cumple"]]
        rows += [
            [
                p(u["name"], s["small"]),
                u["nominal_list"],
                u["required"],
                u["valid"],
                "Sí" if u["met"] else "No",
            ]
            for u in a["units"]
        ]
        story.append(table(rows, [6 * cm, 2.8 * cm, 2.6 * cm, 2.4 * cm, 2 * cm], numeric=(1, 2, 3)))
    return story


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
