"""Answers and the rest of a folio's life: draft, approval by the head, forward or return by UTVOPL,
the OPL's follow-up and closing. Wrong roles and wrong states fail with a Spanish message."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apoyo.liaison.answers import approve_answer, forward_answer, return_answer, save_answer
from apoyo.liaison.assignments import assign, reassign
from apoyo.liaison.models import AnswerStatus, Attachment, EventKind, Status
from apoyo.liaison.policies import NotAllowed
from apoyo.liaison.tests.helpers import World, area, pdf, png
from apoyo.liaison.workflow import WorkflowError, ask_follow_up, close


@pytest.fixture
def world(db):
    return World()


def test_an_area_user_drafts_and_edits_the_answer_with_attachments(world):
    consultation = world.assigned()
    assignment = consultation.assignments.get()
    answer = save_answer(world.derfe, assignment, "Primera versión.", files=[pdf()])
    assert answer.status == AnswerStatus.DRAFT and answer.created_by == world.derfe
    again = save_answer(
        world.derfe_head,
        assignment,
        "Versión corregida.",
        files=[png()],
        remove=list(answer.attachments.all()),
    )
    assert again.pk == answer.pk
    assert again.text == "Versión corregida."
    assert [a.kind for a in again.attachments.all()] == ["png"]
    drafted = consultation.events.filter(kind=EventKind.DRAFTED)
    assert drafted.count() == 1  # the draft is recorded once, not at every edit


def test_only_users_of_the_assigned_area_answer(world):
    assignment = world.assigned().assignments.get()
    for user in (world.deppp, world.utvopl, world.opl):
        with pytest.raises(NotAllowed, match="Solo los usuarios del área DERFE"):
            save_answer(user, assignment, "Respuesta.")


def test_only_the_head_of_the_area_approves(world):
    assignment = world.assigned().assignments.get()
    answer = save_answer(world.derfe, assignment, "Respuesta.")
    for user in (world.derfe, world.deppp, world.utvopl, world.opl):
        with pytest.raises(NotAllowed, match="Solo el titular del área DERFE"):
            approve_answer(user, answer)
    approve_answer(world.derfe_head, answer)
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.APPROVED and answer.approved_by == world.derfe_head


def test_an_approved_answer_is_not_edited_nor_approved_again(world):
    consultation, answer = world.answered(forward=False)
    assignment = consultation.assignments.get()
    with pytest.raises(WorkflowError, match="ya fue aprobada"):
        save_answer(world.derfe, assignment, "Cambio tardío.")
    with pytest.raises(WorkflowError, match="solo se aprueba un proyecto"):
        approve_answer(world.derfe_head, answer)


def test_only_utvopl_forwards_and_only_an_approved_answer(world):
    consultation = world.assigned()
    answer = save_answer(world.derfe, consultation.assignments.get(), "Respuesta.")
    with pytest.raises(WorkflowError, match="aprobada por el titular"):
        forward_answer(world.utvopl, answer)
    approve_answer(world.derfe_head, answer)
    for user in (world.derfe_head, world.opl, world.opl_admin):
        with pytest.raises(NotAllowed, match="Solo la UTVOPL"):
            forward_answer(user, answer)
    forward_answer(world.utvopl, answer)
    answer.refresh_from_db()
    consultation.refresh_from_db()
    assert answer.status == AnswerStatus.FORWARDED and answer.forwarded_by == world.utvopl
    assert consultation.status == Status.FORWARDED
    assert consultation.assignments.get().answered_at == answer.forwarded_at
    with pytest.raises(WorkflowError):
        forward_answer(world.utvopl, answer)


def test_utvopl_returns_an_answer_with_comments_and_the_head_approves_it_again(world):
    consultation, answer = world.answered(forward=False)
    with pytest.raises(WorkflowError, match="observaciones"):
        return_answer(world.utvopl, answer, " ")
    with pytest.raises(NotAllowed):
        return_answer(world.derfe_head, answer, "Falta fundamento.")
    return_answer(world.utvopl, answer, "Falta citar el fundamento.")
    answer.refresh_from_db()
    consultation.refresh_from_db()
    assert answer.status == AnswerStatus.RETURNED
    assert answer.return_comments == "Falta citar el fundamento."
    assert consultation.status == Status.ASSIGNED
    save_answer(world.derfe, answer.assignment, "Con fundamento en el art. 26.6 ...")
    approve_answer(world.derfe_head, answer)
    forward_answer(world.utvopl, answer)
    consultation.refresh_from_db()
    assert consultation.status == Status.FORWARDED


def test_a_reassigned_area_can_no_longer_answer_or_have_its_answer_approved(world):
    consultation = world.assigned()
    assignment = consultation.assignments.get()
    answer = save_answer(world.derfe, assignment, "Respuesta.")
    reassign(world.utvopl, assignment, area("DEPPP"), "No es de la DERFE.")
    with pytest.raises(WorkflowError, match="ya no está vigente"):
        save_answer(world.derfe, assignment, "Otra.")
    with pytest.raises(WorkflowError, match="ya no está vigente"):
        approve_answer(world.derfe_head, answer)


def test_the_opl_asks_a_follow_up_on_the_same_folio_and_the_area_answers_again(world):
    consultation, first = world.answered()
    assignment = consultation.assignments.get()
    with pytest.raises(WorkflowError, match="Su área ya respondió"):
        save_answer(world.derfe, assignment, "Otra respuesta.")
    with pytest.raises(NotAllowed):
        ask_follow_up(world.other_opl, consultation, "¿Y los plazos?")
    follow_up = ask_follow_up(
        world.opl_admin, consultation, "¿Qué plazos aplican?", files=[pdf("anexo.pdf")]
    )
    consultation.refresh_from_db()
    assignment.refresh_from_db()
    assert consultation.folio.endswith("/1") and consultation.status == Status.ASSIGNED
    assert assignment.answered_at is None
    assert follow_up.attachments.get().original_name == "anexo.pdf"
    second = save_answer(world.derfe, assignment, "Los plazos son ...")
    assert second.pk != first.pk
    approve_answer(world.derfe_head, second)
    forward_answer(world.utvopl, second)
    consultation.refresh_from_db()
    assert consultation.status == Status.FORWARDED
    assert consultation.answers.filter(status=AnswerStatus.FORWARDED).count() == 2


def test_a_follow_up_waits_for_the_answer(world):
    consultation = world.assigned()
    with pytest.raises(WorkflowError, match="cuando reciba la respuesta"):
        ask_follow_up(world.opl, consultation, "¿Ya?")


def test_the_opl_closes_an_answered_folio_and_a_follow_up_reopens_it(world):
    consultation, _ = world.answered()
    with pytest.raises(NotAllowed):
        close(world.derfe_head, consultation)
    close(world.opl, consultation, "Atendida.")
    consultation.refresh_from_db()
    assert consultation.status == Status.CLOSED and consultation.closed_at
    with pytest.raises(WorkflowError, match="ya está concluida"):
        close(world.utvopl, consultation)
    ask_follow_up(world.opl, consultation, "Una duda más.")
    consultation.refresh_from_db()
    assert consultation.status == Status.ASSIGNED and consultation.closed_at is None


def test_the_opl_cannot_close_before_the_answer_but_utvopl_can(world):
    consultation = world.register(code="INFORME")
    with pytest.raises(WorkflowError, match="ya recibió la respuesta"):
        close(world.opl, consultation)
    close(world.utvopl, consultation, "Se toma conocimiento.")
    consultation.refresh_from_db()
    assert consultation.status == Status.CLOSED
    with pytest.raises(WorkflowError, match="concluida"):
        assign(world.utvopl, consultation, [area()])


def test_nothing_is_answered_on_a_closed_folio(world):
    consultation = world.assigned()
    close(world.utvopl, consultation)
    with pytest.raises(WorkflowError, match="concluida"):
        save_answer(world.derfe, consultation.assignments.get(), "Tarde.")


def test_the_timeline_records_each_step_in_order(world):
    consultation, _ = world.answered()
    close(world.opl, consultation)
    kinds = list(consultation.events.values_list("kind", flat=True))
    assert kinds == [
        "registered",
        "assigned",
        "notified",
        "drafted",
        "answered",
        "forwarded",
        "closed",
    ]


def test_attachments_are_checked_by_content_and_size_and_stored_with_their_hash(world, settings):
    # A PNG named .pdf is kept as what it holds.
    consultation = world.register(files=[png("oficio.pdf")])
    stored = consultation.attachments.get()
    assert stored.kind == "png" and stored.original_name == "oficio.pdf"
    content = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.size == stored.file.size == 40
    script = SimpleUploadedFile("oficio.pdf", b"#!/bin/sh\necho hola\n")
    with pytest.raises(ValidationError, match="no es de un tipo reconocido"):
        world.register(files=[script])
    settings.APOYO_SIVOPLE_MAX_BYTES = 20
    with pytest.raises(ValidationError, match="el máximo es"):
        world.register(files=[pdf(body=b"x" * 100)])
    with pytest.raises(ValidationError, match="como máximo 10"):
        world.register(files=[png() for _ in range(11)])
    assert Attachment.objects.count() == 1
