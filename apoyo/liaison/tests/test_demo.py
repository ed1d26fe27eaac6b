"""The demo holds the consultation that started the project (../shared/seed/consulta-son-2020-1.md)."""

import datetime

import pytest
from django.utils import timezone

from apoyo.accounts.models import Notification
from apoyo.demo.services import create_users
from apoyo.liaison.demo import load_sivople_demo
from apoyo.liaison.models import AnswerStatus, Consultation, Status

pytestmark = pytest.mark.django_db


def test_demo_loads_consulta_son_2020_1_as_it_happened_and_a_request_to_assign(mailoutbox):
    create_users()
    load_sivople_demo()

    seed = Consultation.objects.get(folio="CONSULTA/SON/2020/1")
    assert seed.opl_folio == "IEE-PRESI-137-2020"
    assert seed.doc_type.code == "CONSULTA"
    assert seed.description == "Se hace consulta en materia de candidaturas independientes."
    assert seed.created_by.username == "opl.admin"
    assert timezone.localtime(seed.created_at).strftime("%d/%m/%Y %H:%M") == "01/06/2020 19:08"
    assert seed.status == Status.FORWARDED
    assert seed.attachments.get().kind == "pdf"

    assignment = seed.assignments.get()
    assert assignment.area.code == "DERFE" and assignment.assigned_by.username == "ine.utvopl"
    notified = Notification.objects.filter(title="CONSULTA/SON/2020/1 asignada a DERFE")
    assert set(notified.values_list("user__username", flat=True)) == {"ine.derfe", "ine.jefa.derfe"}
    assert "Fecha y hora de registro: 01/06/2020 19:08" in notified.first().body

    answer = seed.answers.get()
    assert answer.status == AnswerStatus.FORWARDED
    assert answer.approved_by.username == "ine.jefa.derfe"
    assert timezone.localtime(answer.forwarded_at).date() == datetime.date(2020, 6, 10)
    assert "No existe un módulo de carga masiva" in answer.text

    # UTVOPL opened the seed to assign it; the new request waits unread.
    assert seed.ine_read_by.username == "ine.utvopl" and seed.ine_read_at == seed.created_at
    waiting = Consultation.objects.get(status=Status.REGISTERED)
    assert waiting.folio == f"SOLICITUD/SON/{timezone.localdate().year}/1"
    assert waiting.ine_read_at is None

    load_sivople_demo()  # loading twice adds nothing
    assert Consultation.objects.count() == 2
