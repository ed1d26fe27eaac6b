"""Mesa de control services: every state transition, who may take it, and what it leaves behind."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from apoyo.accounts.models import Role
from apoyo.review import services as review
from apoyo.review.panel import pending_by_aspirant, reviewer_throughput
from apoyo.review.queue import (
    confirmation_queue,
    next_confirmation,
    next_in_queue,
    open_proposal,
    review_queue,
)
from apoyo.supports.models import (
    ChangeAction,
    Channel,
    Confirmation,
    Inconsistency,
    Review,
    ReviewOutcome,
    Status,
    Support,
)
from apoyo.supports.services import capture_support, open_cedula, withdraw_support
from apoyo.testing.factories import (
    PERIOD_START,
    citizen,
    make_aspirant,
    make_cut,
    make_office,
    make_process,
    make_sections,
    make_user,
    nominal_list,
    precaptured,
    row,
)
from apoyo.verification.models import SupportResult
from apoyo.verification.services import run_check

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return make_office()


@pytest.fixture
def aspirant(office):
    return make_aspirant(office, with_user=True)


@pytest.fixture
def reviewer():
    return make_user(Role.OPL_REVIEWER)


@pytest.fixture
def second_reviewer():
    return make_user(Role.OPL_REVIEWER)


@pytest.fixture
def pending(aspirant):
    return precaptured(aspirant, [1, 2, 3])


def code(value):
    return Inconsistency.objects.get(code=value)


def actions(support):
    return list(support.changes.values_list("action", flat=True))


# Entering the queue --------------------------------------------------------------------------------


def test_aspirant_capture_enters_pending_review_with_channel_aspirant(pending, aspirant):
    support = pending[0]
    assert (support.channel, support.status) == (Channel.ASPIRANT, Status.PENDING_REVIEW)
    assert support.captured_by == aspirant.user
    assert actions(support) == [ChangeAction.CREATED]


def test_aspirant_capture_may_not_carry_an_inconsistency_type(aspirant):
    cedula, _ = open_cedula(aspirant.user, aspirant, "P-9", PERIOD_START)
    result = capture_support(
        aspirant.user, cedula, row(1, TIPO_INCONSISTENCIA="FOTOCOPIA"), channel=Channel.ASPIRANT
    )
    assert result.support is None
    assert result.errors[0].column == "TIPO_INCONSISTENCIA"
    assert "mesa de control" in result.errors[0].message


def test_opl_manual_capture_still_skips_the_queue():
    capturist = make_user(Role.OPL_CAPTURIST)
    cedula, _ = open_cedula(capturist, make_aspirant(), "F-1", PERIOD_START)
    support = capture_support(capturist, cedula, row(1)).support
    assert support.status == Status.PRELIMINARY


# Accept --------------------------------------------------------------------------------------------


def test_accept_makes_the_support_preliminary_with_a_review_and_a_history_line(pending, reviewer):
    support = pending[0]
    decision = review.accept_support(reviewer, support)
    assert support.status == Status.PRELIMINARY and support.inconsistency is None
    assert (decision.outcome, decision.reviewer) == (ReviewOutcome.ACCEPTED, reviewer)
    line = support.changes.get(action=ChangeAction.REVIEW_ACCEPTED)
    assert (line.user, line.field, line.old_value, line.new_value) == (
        reviewer,
        "estado",
        "Pendiente de revisión",
        "Preliminar",
    )


def test_an_opl_administrator_may_accept_too(pending):
    admin = make_user(Role.OPL_ADMIN)
    review.accept_support(admin, pending[0])
    assert pending[0].status == Status.PRELIMINARY


def test_a_support_is_decided_only_once(pending, reviewer, second_reviewer):
    support = pending[0]
    review.accept_support(reviewer, support)
    with pytest.raises(review.ReviewRefused, match="ya no está pendiente"):
        review.accept_support(second_reviewer, support)
    with pytest.raises(review.ReviewRefused, match="ya no está pendiente"):
        review.record_inconsistency(second_reviewer, support, code("FOTOCOPIA"))
    assert Review.objects.filter(support=support).count() == 1


def test_a_withdrawn_support_cannot_be_reviewed(pending, reviewer):
    withdraw_support(reviewer, pending[0], "Cédula duplicada")
    with pytest.raises(review.ReviewRefused):
        review.accept_support(reviewer, pending[0])


# Record an inconsistency ---------------------------------------------------------------------------


def test_plain_inconsistency_takes_effect_at_once_with_its_comment(pending, reviewer):
    support = pending[0]
    decision = review.record_inconsistency(
        reviewer, support, code("FOTOCOPIA"), "  Copia   de la credencial "
    )
    assert decision.outcome == ReviewOutcome.INCONSISTENCY
    assert support.status == Status.PRELIMINARY
    assert support.inconsistency.code == "FOTOCOPIA"
    assert support.comment == "Copia de la credencial"
    lines = {
        (c.field, c.old_value, c.new_value)
        for c in support.changes.filter(action=ChangeAction.INCONSISTENCY_RECORDED)
    }
    assert lines == {
        ("estado", "Pendiente de revisión", "Preliminar"),
        ("tipo de inconsistencia", "", "FOTOCOPIA: Copia de la credencial"),
        ("comentario", "", "Copia de la credencial"),
    }


def test_other_needs_a_comment(pending, reviewer):
    with pytest.raises(review.ReviewRefused, match="comentario"):
        review.record_inconsistency(reviewer, pending[0], code("OTRA"), " ")
    assert pending[0].status == Status.PENDING_REVIEW


def test_an_inactive_or_foreign_inconsistency_type_is_refused(pending, reviewer):
    foreign = Inconsistency.objects.create(code="JAL_PROPIA", name="Propia de Jalisco", state_id=14)
    retired = Inconsistency.objects.create(
        code="SON_VIEJA", name="Ya no se usa", state_id=26, active=False
    )
    for inconsistency in (foreign, retired, None):
        with pytest.raises(review.ReviewRefused, match="catálogo"):
            review.record_inconsistency(reviewer, pending[0], inconsistency, "x")
    own = Inconsistency.objects.create(code="SON_PROPIA", name="Propia de Sonora", state_id=26)
    review.record_inconsistency(reviewer, pending[0], own)
    assert pending[0].inconsistency == own


# Four eyes -----------------------------------------------------------------------------------------


def test_simulacion_needs_a_second_revisor_from_the_migration():
    assert code("SIMULACION").needs_confirmation
    assert not code("FOTOCOPIA").needs_confirmation


def test_four_eyes_rejection_keeps_the_support_pending_with_an_open_proposal(pending, reviewer):
    support = pending[0]
    decision = review.record_inconsistency(reviewer, support, code("SIMULACION"), "Holograma falso")
    assert decision.outcome == ReviewOutcome.PROPOSED and decision.is_open
    assert support.status == Status.PENDING_REVIEW and support.inconsistency is None
    line = support.changes.get(action=ChangeAction.REJECTION_PROPOSED)
    assert line.new_value == "SIMULACION: Holograma falso"
    # It leaves the first-decision queue and waits among the confirmations.
    assert support not in review_queue(reviewer)
    assert [p.support for p in confirmation_queue(reviewer)] == [support]


def test_nothing_else_is_decided_while_a_rejection_awaits_confirmation(
    pending, reviewer, second_reviewer
):
    support = pending[0]
    review.record_inconsistency(reviewer, support, code("SIMULACION"))
    with pytest.raises(review.ReviewRefused, match="segundo revisor"):
        review.accept_support(second_reviewer, support)
    with pytest.raises(review.ReviewRefused, match="segundo revisor"):
        review.record_inconsistency(second_reviewer, support, code("FOTOCOPIA"))


def test_a_different_revisor_confirms_the_rejection(pending, reviewer, second_reviewer):
    support = pending[0]
    proposal = review.record_inconsistency(reviewer, support, code("SIMULACION"), "Holograma")
    review.confirm_rejection(second_reviewer, support, "Coincido")
    proposal.refresh_from_db()
    assert (proposal.confirmation, proposal.confirmed_by) == (
        Confirmation.CONFIRMED,
        second_reviewer,
    )
    assert proposal.confirmation_comment == "Coincido"
    assert support.status == Status.PRELIMINARY
    assert (support.inconsistency.code, support.comment) == ("SIMULACION", "Holograma")
    confirmed = support.changes.filter(action=ChangeAction.REJECTION_CONFIRMED)
    assert {c.user for c in confirmed} == {second_reviewer}
    assert any(str(reviewer) in c.new_value for c in confirmed)
    assert not confirmation_queue(reviewer).exists()


def test_a_revisor_cannot_confirm_or_overturn_their_own_rejection(pending, reviewer):
    support = pending[0]
    review.record_inconsistency(reviewer, support, code("SIMULACION"))
    with pytest.raises(PermissionDenied):
        review.confirm_rejection(reviewer, support)
    with pytest.raises(PermissionDenied):
        review.overturn_rejection(reviewer, support, "Me equivoqué")
    support.refresh_from_db()
    assert support.status == Status.PENDING_REVIEW
    assert open_proposal(support) is not None


def test_an_overturned_rejection_sends_the_support_back_to_the_queue(
    pending, reviewer, second_reviewer
):
    support = pending[0]
    proposal = review.record_inconsistency(reviewer, support, code("SIMULACION"))
    with pytest.raises(review.ReviewRefused, match="por qué"):
        review.overturn_rejection(second_reviewer, support, "  ")
    review.overturn_rejection(second_reviewer, support, "La credencial es auténtica")
    proposal.refresh_from_db()
    assert proposal.confirmation == Confirmation.OVERTURNED
    assert support.status == Status.PENDING_REVIEW and support.inconsistency is None
    line = support.changes.get(action=ChangeAction.REJECTION_OVERTURNED)
    assert line.new_value == "No confirmado: La credencial es auténtica"
    assert support in review_queue(reviewer)
    # Back in the queue, it is decided as any other: the second revisor accepts it.
    review.accept_support(second_reviewer, support)
    assert support.status == Status.PRELIMINARY


def test_confirming_without_an_open_proposal_is_refused(pending, second_reviewer):
    with pytest.raises(review.ReviewRefused, match="no tiene un rechazo"):
        review.confirm_rejection(second_reviewer, pending[0])


# Permissions ---------------------------------------------------------------------------------------


def test_an_aspirant_cannot_accept_their_own_supports(pending, aspirant):
    with pytest.raises(PermissionDenied):
        review.accept_support(aspirant.user, pending[0])
    with pytest.raises(PermissionDenied):
        review.record_inconsistency(aspirant.user, pending[0], code("FOTOCOPIA"))
    assert Support.objects.get(pk=pending[0].pk).status == Status.PENDING_REVIEW


def test_capturists_and_ine_users_do_not_review(pending):
    for role in (Role.OPL_CAPTURIST, Role.AUXILIARY, Role.INE_DERFE):
        with pytest.raises(PermissionDenied):
            review.accept_support(make_user(role), pending[0])


def test_a_revisor_of_another_entity_cannot_decide(pending):
    jalisco = make_user(Role.OPL_REVIEWER, state_number=14)
    with pytest.raises(PermissionDenied):
        review.accept_support(jalisco, pending[0])
    assert not review_queue(jalisco).exists()


def test_a_revisor_cannot_review_a_support_they_captured(pending, reviewer):
    Support.objects.filter(pk=pending[0].pk).update(captured_by=reviewer)
    pending[0].refresh_from_db()
    with pytest.raises(PermissionDenied, match="capturó"):
        review.accept_support(reviewer, pending[0])


# Queue ---------------------------------------------------------------------------------------------


def test_queue_is_oldest_first_and_filters_by_aspirant_channel_cedula_and_date(
    office, aspirant, reviewer
):
    first = precaptured(aspirant, [1, 2], reference="P-1")
    other = make_aspirant(office, with_user=True)
    later = precaptured(other, [3], reference="Q-1")
    old = timezone.now() - datetime.timedelta(days=3)
    Support.objects.filter(pk=later[0].pk).update(captured_at=old)
    queue = list(review_queue(reviewer))
    assert queue[0].pk == later[0].pk and [s.pk for s in queue[1:]] == [s.pk for s in first]
    assert list(review_queue(reviewer, {"aspirant": aspirant})) == first
    assert list(review_queue(reviewer, {"reference": " p-1 "})) == first
    assert not review_queue(reviewer, {"channel": Channel.APP}).exists()
    today = timezone.localdate()
    recent = review_queue(reviewer, {"date_from": today, "date_to": today})
    assert list(recent) == first
    day = timezone.localdate(old)
    assert list(review_queue(reviewer, {"date_from": day, "date_to": day})) == later


def test_next_in_queue_follows_the_order_and_wraps_around(pending, reviewer):
    queue = review_queue(reviewer)
    assert next_in_queue(queue, pending[0]) == pending[1]
    assert next_in_queue(queue, pending[2]) == pending[0]
    review.accept_support(reviewer, pending[1])
    assert next_in_queue(review_queue(reviewer), pending[1]) == pending[2]
    review.accept_support(reviewer, pending[0])
    review.accept_support(reviewer, pending[2])
    assert next_in_queue(review_queue(reviewer), pending[2]) is None


def test_next_confirmation_skips_the_users_own_proposals(pending, reviewer, second_reviewer):
    review.record_inconsistency(reviewer, pending[0], code("SIMULACION"))
    review.record_inconsistency(second_reviewer, pending[1], code("SIMULACION"))
    assert next_confirmation(reviewer).support == pending[1]
    assert next_confirmation(second_reviewer).support == pending[0]


# The compulsa ----------------------------------------------------------------------------------------


def test_only_reviewed_supports_reach_the_compulsa(office, aspirant, reviewer, second_reviewer):
    make_cut()
    nominal_list({1: 1000})
    make_sections()
    accepted, rejected, proposed, confirmed, untouched = precaptured(aspirant, [1, 2, 3, 4, 5])
    for support in (accepted, rejected, proposed, confirmed, untouched):
        citizen(support.elector_key, section=1, ocr=support.ocr)
    review.accept_support(reviewer, accepted)
    review.record_inconsistency(reviewer, rejected, code("FOTOCOPIA"), "Copia")
    review.record_inconsistency(reviewer, proposed, code("SIMULACION"))
    review.record_inconsistency(reviewer, confirmed, code("SIMULACION"))
    review.confirm_rejection(second_reviewer, confirmed)

    run = run_check(office)
    results = {r.support_id: r for r in SupportResult.objects.filter(run=run)}
    assert set(results) == {accepted.pk, rejected.pk, confirmed.pk}
    assert (results[accepted.pk].valid, results[accepted.pk].motive) == (True, "")
    assert (results[rejected.pk].valid, results[rejected.pk].motive) == (False, "INCONSISTENCIA")
    assert (results[confirmed.pk].valid, results[confirmed.pk].motive) == (False, "INCONSISTENCIA")

    # Accepting a support later makes it count in the next run.
    review.accept_support(second_reviewer, untouched)
    run = run_check(office)
    assert SupportResult.objects.get(run=run, support=untouched).valid


# The administrator's panel -------------------------------------------------------------------------


def test_throughput_counts_each_revisors_decisions_per_day(pending, reviewer, second_reviewer):
    review.accept_support(reviewer, pending[0])
    review.record_inconsistency(reviewer, pending[1], code("FOTOCOPIA"))
    review.record_inconsistency(reviewer, pending[2], code("SIMULACION"))
    review.confirm_rejection(second_reviewer, pending[2])
    old = Review.objects.filter(support=pending[0])
    old.update(at=timezone.now() - datetime.timedelta(days=2))
    Review.objects.create(
        support=pending[0],
        reviewer=reviewer,
        outcome=ReviewOutcome.ACCEPTED,
        at=timezone.now() - datetime.timedelta(days=30),
    )
    admin = make_user(Role.OPL_ADMIN)
    dates, rows = reviewer_throughput(admin)
    assert len(dates) == 7 and dates[-1] == timezone.localdate()
    by_reviewer = {row["reviewer"]: row for row in rows}
    first = by_reviewer[reviewer]
    assert first["counts"][-1] == 2 and first["counts"][-3] == 1 and first["total"] == 3
    assert (first["accepted"], first["inconsistencies"], first["second"]) == (1, 2, 0)
    assert by_reviewer[second_reviewer]["counts"][-1] == 1
    assert by_reviewer[second_reviewer]["second"] == 1
    jalisco = make_user(Role.OPL_ADMIN, state_number=14)
    assert reviewer_throughput(jalisco)[1] == []


def test_pending_counts_per_aspirant(office, aspirant, reviewer):
    supports = precaptured(aspirant, [1, 2, 3])
    quiet = make_aspirant(office)
    review.accept_support(reviewer, supports[0])
    review.record_inconsistency(reviewer, supports[1], code("SIMULACION"))
    jalisco = make_aspirant(make_office(make_process(state_number=14)), with_user=True)
    precaptured(jalisco, [9])
    rows = {a.pk: a for a in pending_by_aspirant(make_user(Role.OPL_ADMIN))}
    assert set(rows) == {aspirant.pk, quiet.pk}
    mine = rows[aspirant.pk]
    assert (mine.pending, mine.in_queue, mine.awaiting) == (2, 1, 1)
    assert mine.oldest_pending == supports[1].captured_at
    assert (rows[quiet.pk].pending, rows[quiet.pk].oldest_pending) == (0, None)
