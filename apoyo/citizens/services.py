"""The consulta ciudadana "¿Aparezco como apoyo?" (issue 17, part 1): a citizen, without an account,
checks which aspirants list them as a support, and says so when one of them is not theirs.

- look_up: one query keyed on the clave de elector and the OCR or CIC together (lookup.py), after
  the rate limits by address and by clave (limits.py); every query, answered or refused, goes to
  the bitácora with the clave as a keyed hash (lookup.key_digest), never in clear, and without
  the OCR or CIC.
- disown_support ("Yo no di este apoyo"): stores the citizen's report and puts the support in
  front of the mesa de control: an accepted support goes back to pending review, with the report
  on the review page. Rejecting it as DESCONOCIDO ("Desconocido por la persona ciudadana", a
  national four-eyes type, supports migration 0010) follows the mesa de control's own rule: one
  revisor proposes, a different one confirms (review.services). The OPL administrators of the
  support's entity are told in the portal and by e-mail.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from apoyo.accounts.audit import CITIZEN_USER, record
from apoyo.accounts.models import Role, User
from apoyo.accounts.notifications import notify
from apoyo.citizens import limits
from apoyo.citizens.lookup import address_digest, key_digest, matching_supports
from apoyo.citizens.models import CitizenReport
from apoyo.supports.models import ChangeAction, Channel, Status, Support, SupportChange

LOOKUP_ACTION = "consulta ciudadana"
LIMITED_ACTION = "consulta ciudadana limitada"
DISOWN_ACTION = "desconocimiento ciudadano"
DISOWNED_CODE = "DESCONOCIDO"
DISOWN_SALT = "apoyo.citizens.disown"

# How each channel reads to the citizen, who never saw the OPL's words for them.
CHANNEL_LABELS = {
    Channel.MANUAL: "Cédula en papel (capturada por el OPL)",
    Channel.BULK: "Cédula en papel (carga masiva del OPL)",
    Channel.ASPIRANT: "Cédula en papel (capturada por la persona aspirante)",
    Channel.APP: "Aplicación móvil (un auxiliar de la persona aspirante)",
}


@dataclass
class Answer:
    """What a lookup answers: the matching supports (possibly none), or that it was refused."""

    supports: list = field(default_factory=list)
    limited: bool = False
    token: str = ""


class DisownRefused(Exception):
    """The report cannot be taken (the answer's pass expired, or the support is no longer there);
    the message says why, in Spanish."""


# The lookup ----------------------------------------------------------------------------------------


def look_up(elector_key, number, address):
    """The citizen's supports whose clave and OCR/CIC both match (issue 17, part 1).

    A wrong OCR and an unknown clave take exactly the same path: the same limits, the same single
    query, the same bitácora entry; only a match adds work (the pass for its "Yo no di este
    apoyo" forms). `elector_key` and `number` come normalized from LookupForm."""
    key_hash = key_digest(elector_key)
    refusal = limits.refusal(address_digest(address), key_hash)
    if refusal:
        log_lookup(LIMITED_ACTION, key_hash, f"rechazada {refusal}", address)
        return Answer(limited=True)
    supports = matching_supports(elector_key, number)
    kind = "OCR" if len(number) == 13 else "CIC"
    log_lookup(LOOKUP_ACTION, key_hash, f"con {kind}; apoyos encontrados: {len(supports)}", address)
    for support in supports:
        support.channel_for_citizen = CHANNEL_LABELS.get(support.channel, "")
    return Answer(supports=supports, token=issue_pass(supports) if supports else "")


def log_lookup(action, key_hash, detail, address):
    """One bitácora entry per query: the clave as its keyed hash (32 hex digits, searchable as the
    entry's object), never the OCR or CIC."""
    record(
        None,
        action,
        "clave de elector",
        key_hash[:32],
        detail,
        address=address,
        username=CITIZEN_USER,
    )


def issue_pass(supports):
    """A signed, timed pass naming the supports an answer listed: the "Yo no di este apoyo" form
    carries it, so only someone who matched clave and OCR/CIC may report those supports."""
    return signing.dumps([support.pk for support in supports], salt=DISOWN_SALT, compress=True)


def passed_support_ids(token):
    """The support ids a pass names, or an empty set when it is forged or older than
    APOYO_CITIZEN_DISOWN_MINUTES."""
    max_age = settings.APOYO_CITIZEN_DISOWN_MINUTES * 60
    try:
        ids = signing.loads(token, salt=DISOWN_SALT, max_age=max_age)
    except signing.BadSignature:
        return set()
    if not isinstance(ids, list):
        return set()
    return {value for value in ids if isinstance(value, int)}


def passed_support(token, support_id):
    """The support a "Yo no di este apoyo" form is about, when its pass names it and it was not
    withdrawn meanwhile; DisownRefused otherwise."""
    if support_id not in passed_support_ids(token):
        raise DisownRefused(
            "El tiempo para enviar este aviso terminó. Vuelva a hacer la consulta con su clave de "
            "elector y su OCR o CIC."
        )
    support = (
        Support.objects.exclude(status=Status.WITHDRAWN)
        .select_related("aspirant__office__process", "citizen_report")
        .filter(pk=support_id)
        .first()
    )
    if support is None:
        raise DisownRefused("Este apoyo ya no está registrado: no hace falta su aviso.")
    support.channel_for_citizen = CHANNEL_LABELS.get(support.channel, "")
    return support


# "Yo no di este apoyo" -----------------------------------------------------------------------------


def disown_support(support, contact_kind, contact, statement, address):
    """Store the citizen's report on `support` and flag the support for the mesa de control;
    returns (report, created). A second report on the same support returns the first one.

    The flag (issue 17): an accepted support without inconsistency goes back to pending review,
    so it stops counting until a revisor decides it again with the report on the page; a pending
    one stays where it is; one already rejected keeps its rejection. The DESCONOCIDO rejection
    needs a second revisor like every four-eyes type. The OPL administrators of the entity get a
    notice; the bitácora gets the report."""
    with transaction.atomic():
        current = Support.objects.select_for_update().get(pk=support.pk)
        if current.status == Status.WITHDRAWN:
            raise DisownRefused("Este apoyo ya no está registrado: no hace falta su aviso.")
        existing = CitizenReport.objects.filter(support=current).first()
        if existing is not None:
            return existing, False
        report = CitizenReport.objects.create(
            support=current,
            contact=contact,
            contact_kind=contact_kind,
            statement=statement,
            address_hash=address_digest(address),
        )
        SupportChange.objects.bulk_create(flag_for_review(current, report))
    record(
        None,
        DISOWN_ACTION,
        "apoyo",
        current.pk,
        f"desconocimiento N.º {report.pk}",
        address=address,
        username=CITIZEN_USER,
    )
    notify_administrators(report, support)
    return report, True


def flag_for_review(support, report):
    """Put the support in front of the mesa de control; the history lines that say so."""
    lines = [
        SupportChange(
            support=support,
            action=ChangeAction.CITIZEN_DISOWNED,
            field="aviso ciudadano",
            new_value=f"Desconocimiento N.º {report.pk}: revíselo en la mesa de control",
        )
    ]
    if support.status == Status.PRELIMINARY and support.inconsistency_id is None:
        support.status = Status.PENDING_REVIEW
        support.save(update_fields=["status"])
        lines.append(
            SupportChange(
                support=support,
                action=ChangeAction.CITIZEN_DISOWNED,
                field="estado",
                old_value=Status.PRELIMINARY.label,
                new_value=Status.PENDING_REVIEW.label,
            )
        )
    return lines


def notify_administrators(report, support):
    """Tell the OPL administrators of the support's entity, in the portal and by e-mail. The
    notice names the aspirant and the report's number, never the citizen: the contact and the
    statement are read on the report's page, where the read is logged."""
    aspirant = support.aspirant
    state_id = aspirant.office.process.state_id
    administrators = User.objects.filter(role=Role.OPL_ADMIN, state_id=state_id, is_active=True)
    notify(
        administrators,
        f"Desconocimiento ciudadano N.º {report.pk}: apoyo a {aspirant.code}",
        f"Una persona ciudadana manifestó no haber dado su apoyo a {aspirant.full_name} "
        f"({aspirant.office}). El apoyo quedó en la mesa de control; rechazarlo como "
        f"{DISOWNED_CODE} requiere un segundo revisor.",
        url=reverse("citizens:report", args=[report.pk]),
        email_subject="[Apoyo] Desconocimiento ciudadano de un apoyo",
    )
