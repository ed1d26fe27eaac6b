"""SIVOPLE folios: TYPE/ENT/YEAR/N, consecutive per type, entity and year, never repeated nor skipped."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connections

from apoyo.accounts.models import Role
from apoyo.liaison import workflow
from apoyo.liaison.models import Consultation, FolioCounter
from apoyo.liaison.policies import NotAllowed
from apoyo.liaison.tests.helpers import World, doc_type, pdf
from apoyo.liaison.workflow import WorkflowError, register
from apoyo.testing.factories import make_user, require_postgresql

SONORA = ZoneInfo("America/Hermosillo")


@pytest.fixture
def world(db):
    return World()


def test_the_first_consultation_of_sonora_in_2020_is_consulta_son_2020_1(world):
    registered = datetime.datetime(2020, 6, 1, 19, 8, tzinfo=SONORA)
    consultation = world.register(now=registered)
    assert consultation.folio == "CONSULTA/SON/2020/1"
    assert (consultation.year, consultation.number) == (2020, 1)
    assert consultation.state_id == 26


def test_folios_are_consecutive_per_type_entity_and_year(world):
    june_2020 = datetime.datetime(2020, 6, 1, 12, 0, tzinfo=SONORA)
    january_2021 = datetime.datetime(2021, 1, 4, 12, 0, tzinfo=SONORA)
    folios = [
        world.register(now=june_2020).folio,
        world.register(now=june_2020).folio,
        world.register(code="SOLICITUD", now=june_2020).folio,
        world.register(user=world.other_opl, now=june_2020).folio,
        world.register(now=january_2021).folio,
        world.register(user=world.opl_admin, now=june_2020).folio,
    ]
    assert folios == [
        "CONSULTA/SON/2020/1",
        "CONSULTA/SON/2020/2",
        "SOLICITUD/SON/2020/1",
        "CONSULTA/CHIH/2020/1",
        "CONSULTA/SON/2021/1",
        "CONSULTA/SON/2020/3",
    ]


def test_the_year_of_the_folio_is_the_local_year_of_registration(world):
    # 31 Dec 2020 at 22:00 in Sonora is already 2021 in UTC.
    new_years_eve = datetime.datetime(2020, 12, 31, 22, 0, tzinfo=SONORA)
    assert world.register(now=new_years_eve).folio == "CONSULTA/SON/2020/1"


def test_a_registration_that_fails_gives_its_number_back(world, monkeypatch):
    world.register()

    def disk_full(*args, **kwargs):
        raise OSError("No queda espacio en el disco")

    monkeypatch.setattr(workflow, "store_attachment", disk_full)
    with pytest.raises(OSError):
        world.register(files=[pdf()])
    monkeypatch.undo()
    assert world.register().number == 2
    assert Consultation.objects.count() == 2


def test_only_opl_users_register_and_always_for_their_own_entity(world):
    with pytest.raises(NotAllowed):
        register(world.utvopl, doc_type(), "X-1", "Asunto", "Descripción")
    aspirant_user = make_user(Role.ASPIRANT)
    with pytest.raises(NotAllowed):
        register(aspirant_user, doc_type(), "X-1", "Asunto", "Descripción")
    chihuahua = world.register(user=world.other_opl)
    assert chihuahua.folio.startswith("CONSULTA/CHIH/")


def test_an_inactive_type_cannot_be_registered(world):
    informe = doc_type("INFORME")
    informe.active = False
    informe.save()
    with pytest.raises(WorkflowError, match="no está activo"):
        world.register(code="INFORME")


THREADS = 12
PER_THREAD = 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_registrations_get_folios_1_to_n_without_gaps_or_repeats():
    require_postgresql("SQLite serializa toda escritura y no muestra carreras.")
    users = [make_user(Role.OPL_CAPTURIST) for _ in range(THREADS)]
    consulta = doc_type()
    barrier = threading.Barrier(THREADS)
    folios, errors = [], []
    lock = threading.Lock()

    def register_many(user):
        try:
            barrier.wait(timeout=30)
            for n in range(PER_THREAD):
                consultation = register(
                    user, consulta, f"IEE-{user.pk}-{n}", "Asunto", "Descripción"
                )
                with lock:
                    folios.append(consultation.folio)
        except Exception as exc:  # reported below: a thread's exception would be lost
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register_many, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    total = THREADS * PER_THREAD
    year = Consultation.objects.values_list("year", flat=True).first()
    assert sorted(folios) == sorted(f"CONSULTA/SON/{year}/{n}" for n in range(1, total + 1))
    numbers = sorted(Consultation.objects.values_list("number", flat=True))
    assert numbers == list(range(1, total + 1))
    assert FolioCounter.objects.get().last == total
