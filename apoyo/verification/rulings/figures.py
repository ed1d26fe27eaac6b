"""What a dictamen states, as JSON-ready values with their texts already formatted, and the
sentences its page and its PDF share. Computed once, when the dictamen is generated, from the
office's current compulsa: the stored figures are what was ruled."""

from django.utils import timezone

from apoyo.processes.models import Institute
from apoyo.verification.models import (
    AspirantResult,
    HearingItem,
    HearingRequest,
    HearingWindow,
    ItemDecision,
    Motive,
    UnitResult,
)


def date_text(value):
    return value.strftime("%d/%m/%Y") if value else ""


def datetime_text(value):
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def ruling_figures(ruling, superseded=None, supersede_reason=""):
    """Everything the dictamen shows: who issues it and on what legal basis, the office and its
    rules, the compulsa, the hearing windows, each aspirant's counts, dispersion and hearing, who
    signs it, and the dictamen it supersedes if any."""
    office, run = ruling.office, ruling.run
    windows = list(
        HearingWindow.objects.filter(office=office, cancelled_at__isnull=True).order_by(
            "start_date", "id"
        )
    )
    aspirants = aspirant_figures(office, run, windows)
    return {
        "number": ruling.pk,
        "generated_at": datetime_text(ruling.generated_at),
        "generated_by": str(ruling.generated_by or ""),
        "institute": institute_figures(office.process.state),
        "legal_basis": office.process.legal_basis,
        "signatory": signatory_figures(ruling.generated_by),
        "no_hearing_reason": ruling.no_hearing_reason,
        "supersedes": (
            {"number": superseded.pk, "reason": supersede_reason} if superseded else None
        ),
        "office": office_figures(office),
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


def institute_figures(state):
    institute = Institute.objects.filter(state=state).first()
    if institute is None:
        return {"name": f"Organismo Público Local de {state}", "heading": ""}
    return {"name": institute.name, "heading": institute.heading}


def signatory_figures(user):
    if user is None:
        return {"name": "", "role": ""}
    return {"name": user.get_full_name() or user.username, "role": user.get_role_display()}


def office_figures(office):
    process = office.process
    return {
        "code": office.code,
        "name": office.name,
        "scope": office.scope_label(),
        "process": process.name,
        "state": str(process.state),
        "threshold_percent": f"{office.threshold_percent:.2f}",
        "collection": f"{date_text(office.collection_start)} al {date_text(office.collection_end)}",
        "dispersion": dispersion_text(office),
        "dispersion_unit": office.get_dispersion_unit_display() if office.dispersion_unit else "",
    }


def aspirant_figures(office, run, windows):
    """Each aspirant's figures in the run, in code order. The valid count before the hearing is
    the one of the compulsa the last window followed."""
    valid_before = {}
    if windows:
        before = AspirantResult.objects.filter(run=windows[-1].run)
        valid_before = dict(before.values_list("aspirant_id", "valid"))
    units = units_by_aspirant(run)
    hearing = hearing_by_aspirant(office)
    results = AspirantResult.objects.filter(run=run).select_related("aspirant")
    return [
        result_figures(
            result,
            valid_before=valid_before.get(result.aspirant_id),
            units=units.get(result.aspirant_id, []),
            hearing=hearing.get(result.aspirant_id, empty_hearing()),
        )
        for result in results.order_by("aspirant__code")
    ]


def result_figures(result, valid_before, units, hearing):
    return {
        "code": result.aspirant.code,
        "name": result.aspirant.full_name,
        "nominal_list": result.nominal_list,
        "required": result.required,
        "captured": result.captured,
        "valid": result.valid,
        "valid_before_hearing": valid_before,
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
        "units": units,
        "hearing": hearing,
    }


def dispersion_text(office):
    if not office.has_dispersion_rule:
        return ""
    if office.dispersion_min_units is not None:
        units = f"al menos {office.dispersion_min_units} unidades"
    else:
        fraction = office.dispersion_min_units_fraction * 100
        units = f"al menos el {fraction:.2f}% de las unidades"
    unit = office.get_dispersion_unit_display().lower()
    return (
        f"{units} ({unit}) con al menos el {office.dispersion_min_percent:.2f}% "
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
    return {
        "filed": 0,
        "upheld": 0,
        "partial": 0,
        "rejected": 0,
        "supports": 0,
        "corrected": 0,
        "requests": [],
    }


def hearing_by_aspirant(office):
    """Per aspirant: hearing requests by status, supports argued and supports corrected, and
    each hearing request with its resolution."""
    hearing = {}
    supports, corrected, reasons = {}, {}, {}
    items = HearingItem.objects.filter(request__window__office=office).order_by("support_id")
    for hearing_request_id, changes, decision, reason in items.values_list(
        "request_id", "changes", "decision", "reason"
    ):
        supports[hearing_request_id] = supports.get(hearing_request_id, 0) + 1
        if changes:
            corrected[hearing_request_id] = corrected.get(hearing_request_id, 0) + 1
        if decision:
            grouped = reasons.setdefault(hearing_request_id, {})
            grouped[(decision, reason)] = grouped.get((decision, reason), 0) + 1
    hearing_requests = HearingRequest.objects.filter(window__office=office)
    for hearing_request in hearing_requests.order_by("filed_at", "id"):
        entry = hearing.setdefault(hearing_request.aspirant_id, empty_hearing())
        entry[hearing_request.status] += 1
        entry["supports"] += supports.get(hearing_request.pk, 0)
        entry["corrected"] += corrected.get(hearing_request.pk, 0)
        entry["requests"].append(
            {
                "number": hearing_request.pk,
                "filed_at": datetime_text(hearing_request.filed_at),
                "supports": supports.get(hearing_request.pk, 0),
                "corrected": corrected.get(hearing_request.pk, 0),
                "status": hearing_request.status,
                "status_label": hearing_request.get_status_display(),
                "resolution": ruling_text(reasons.get(hearing_request.pk, {}), hearing_request),
                "resolved_at": datetime_text(hearing_request.resolved_at),
            }
        )
    return hearing


def ruling_text(grouped, hearing_request):
    """Each support's ruling and fundamento, the same ones grouped with their count: what the
    dictamen states of a hearing request (DOMAIN.md step 6: the OPL resolves each support)."""
    labels = dict(ItemDecision.choices)
    parts = [
        f"{labels[decision]} ({count} apoyo{'s' if count != 1 else ''}): {reason}"
        for (decision, reason), count in grouped.items()
    ]
    if hearing_request.resolution:
        parts.append(f"Observaciones: {hearing_request.resolution}")
    return " ".join(parts)


# Sentences of the page and the PDF ------------------------------------------------------------------


def count(n, singular, plural):
    return f"{n} {singular if n == 1 else plural}"


def outcome_text(aspirant):
    if aspirant["meets"]:
        return "CUMPLE"
    reasons = []
    if not aspirant["meets_threshold"]:
        reasons.append("no alcanza los apoyos requeridos")
    if not aspirant["meets_dispersion"]:
        reasons.append("no cumple la dispersión")
    return "NO CUMPLE: " + " y ".join(reasons) if reasons else "NO CUMPLE"


def units_text(aspirant):
    if aspirant["units_required"] is None:
        return "—"
    return f"{aspirant['units_met']} / {aspirant['units_required']}"


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
