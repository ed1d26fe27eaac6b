"""The rows the hearing pages show: windows with their state, the supports of a hearing request
with the data the OPL may correct, its evidence, and the aspirant's invalidated supports."""

from apoyo.core.filetypes import IMAGES, SCANS
from apoyo.core.pagination import paginate
from apoyo.supports.services import support_values
from apoyo.verification.hearings import services
from apoyo.verification.hearings.evidence import evidence_label
from apoyo.verification.hearings.resolution import SupportRuling
from apoyo.verification.models import ItemDecision, Motive, SupportResult
from apoyo.verification.services import current_run

# The cédula columns the resolution form lets the OPL correct, with their Spanish labels.
CORRECTION_LABELS = {
    "NOMBRE": "Nombre",
    "APELLIDO_PATERNO": "Apellido paterno",
    "APELLIDO_MATERNO": "Apellido materno",
    "CLAVE_ELECTOR": "Clave de elector",
    "OCR": "OCR",
    "FECHA_APOYO": "Fecha del apoyo",
}


def window_rows(windows):
    return [
        {
            "window": w,
            "state": services.window_state(w),
            "label": services.state_label(w),
            "skipped": services.skipped_days(w),
        }
        for w in windows
    ]


def correction_fields(support):
    """The correctable columns of a support with their current values (dates as the date input
    expects them)."""
    values = support_values(support)
    fields = []
    for column, label in CORRECTION_LABELS.items():
        value = values[column]
        if column == "FECHA_APOYO":
            value = value.isoformat()
        fields.append({"column": column, "label": label, "value": value})
    return fields


def item_rows(hearing_request):
    """Each support of the hearing request with its data, its motivo then and its result now."""
    items = list(
        hearing_request.items.select_related("support__cedula", "support__inconsistency").order_by(
            "support_id"
        )
    )
    run = current_run(hearing_request.aspirant.office)
    now = {}
    if run is not None:
        results = SupportResult.objects.filter(
            run=run, support_id__in=[i.support_id for i in items]
        )
        now = {r.support_id: r for r in results}
    return [
        {
            "item": item,
            "support": item.support,
            "now": now.get(item.support_id),
            "fields": correction_fields(item.support),
            "changes": [
                (CORRECTION_LABELS.get(column, "Tipo de inconsistencia"), old, new)
                for column, (old, new) in item.changes.items()
            ],
        }
        for item in items
    ]


def evidence_rows(hearing_request):
    return [
        {
            "evidence": e,
            "label": evidence_label(e),
            "inline": e.kind in SCANS,
            "image": e.kind in IMAGES,
        }
        for e in hearing_request.evidence.all()
    ]


def corrections_from(post, rows):
    """{support id: {column: value}} from the resolve form: the lift checkboxes and every data
    field whose value differs from the support's current one."""
    lift_all = post.get("lift_all") == "1"
    corrections = {}
    for row in rows:
        support = row["support"]
        changes = {}
        if support.inconsistency_id and (lift_all or post.get(f"lift-{support.pk}") == "1"):
            changes[services.LIFT] = ""
        for field in row["fields"]:
            value = post.get(f"{field['column']}-{support.pk}")
            if value is not None and value.strip() != str(field["value"]):
                changes[field["column"]] = value.strip()
        if changes:
            corrections[support.pk] = changes
    return corrections


def rulings_from(post, rows):
    """{support id: SupportRuling} from the resolve form: each support's own decision and
    fundamento, or the form's "la misma para todos" when it has none, and its corrections."""
    corrections = corrections_from(post, rows)
    shared_decision, shared_reason = post.get("decision_all", ""), post.get("reason_all", "")
    rulings = {}
    for row in rows:
        pk = row["support"].pk
        decision = post.get(f"decision-{pk}") or shared_decision
        reason = post.get(f"reason-{pk}", "").strip() or shared_reason
        changes = corrections.get(pk, {}) if decision == ItemDecision.UPHELD else {}
        rulings[pk] = SupportRuling(decision, reason, changes)
    return rulings


def keep_posted(post, rows):
    """After a refused resolution, show the form as it was sent."""
    for row in rows:
        pk = row["support"].pk
        row["lift"] = post.get(f"lift-{pk}") == "1"
        row["decision"] = post.get(f"decision-{pk}", "")
        row["reason"] = post.get(f"reason-{pk}", "")
        for field in row["fields"]:
            value = post.get(f"{field['column']}-{pk}")
            if value is not None:
                field["value"] = value


def invalid_rows(request, window, aspirant):
    """A page of the aspirant's supports invalid in the window's compulsa, each with its motivo
    and where it stands in the hearing."""
    results = (
        services.invalid_results(window, aspirant)
        .select_related("support__cedula", "support__inconsistency")
        .order_by("support_id", "id")
    )
    motive = request.GET.get("motivo", "")
    if motive in Motive.values:
        results = results.filter(motive=motive)
    page = paginate(request, results, by_ids=True)
    ids = [r.support_id for r in page]
    states = services.hearing_state_by_support(window, ids)
    blocked = services.blocked_support_ids(window, ids)
    rows = [
        {
            "result": r,
            "support": r.support,
            "hearing_request": states.get(r.support_id),
            "can_file": r.support_id not in blocked,
        }
        for r in page
    ]
    return page, rows, motive
