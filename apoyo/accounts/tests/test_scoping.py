import pytest

from apoyo.accounts.models import Role
from apoyo.aspirants.models import Aspirant
from apoyo.processes.models import Office, Process
from apoyo.supports.models import Cedula, Support
from apoyo.supports.services import capture_support, open_cedula
from apoyo.testing.factories import (
    PERIOD_START,
    make_aspirant,
    make_office,
    make_process,
    make_user,
)

pytestmark = pytest.mark.django_db

ROW = {
    "NOMBRE": "JUAN",
    "APELLIDO_PATERNO": "GARCIA",
    "APELLIDO_MATERNO": "LOPEZ",
    "CLAVE_ELECTOR": "GRLPJN85010126H001",
    "OCR": "1234567890123",
}


def capture_one(aspirant, user):
    cedula, _ = open_cedula(user, aspirant, "F-1", PERIOD_START)
    return capture_support(user, cedula, ROW).support


@pytest.fixture
def two_entities():
    sonora_office = make_office(make_process(state_number=26))
    jalisco_office = make_office(make_process(state_number=14))
    capturist = make_user(Role.OPL_CAPTURIST, state_number=26)
    a = make_aspirant(sonora_office, with_user=True)
    b = make_aspirant(sonora_office, with_user=True)
    j = make_aspirant(jalisco_office, with_user=True)
    jalisco_capturist = make_user(Role.OPL_CAPTURIST, state_number=14)
    return {
        "a": capture_one(a, capturist),
        "b": capture_one(b, capturist),
        "j": capture_one(j, jalisco_capturist),
        "aspirants": (a, b, j),
    }


def test_opl_user_sees_only_their_entity(two_entities):
    sonora_reviewer = make_user(Role.OPL_REVIEWER, state_number=26)
    visible = set(Support.objects.visible_to(sonora_reviewer))
    assert visible == {two_entities["a"], two_entities["b"]}
    assert Process.objects.visible_to(sonora_reviewer).get().state_id == 26


def test_opl_user_of_another_entity_sees_nothing_of_sonora(two_entities):
    jalisco_admin = make_user(Role.OPL_ADMIN, state_number=14)
    assert list(Support.objects.visible_to(jalisco_admin)) == [two_entities["j"]]
    assert not Office.objects.visible_to(jalisco_admin).filter(process__state=26).exists()


def test_aspirant_sees_only_their_own_supports_and_record(two_entities):
    a, b, _ = two_entities["aspirants"]
    assert list(Support.objects.visible_to(a.user)) == [two_entities["a"]]
    assert list(Aspirant.objects.visible_to(a.user)) == [a]
    assert list(Cedula.objects.visible_to(b.user)) == [two_entities["b"].cedula]


def test_roles_without_support_access_see_nothing(two_entities):
    for role in (Role.INE_DERFE, Role.INE_UTVOPL, Role.INE_AREA, Role.AUXILIARY):
        user = make_user(role)
        assert not Support.objects.visible_to(user).exists(), role


def test_inactive_or_stateless_opl_user_sees_nothing(two_entities):
    inactive = make_user(Role.OPL_ADMIN, is_active=False)
    stateless = make_user(Role.OPL_ADMIN, state_number=None)
    assert not Support.objects.visible_to(inactive).exists()
    assert not Support.objects.visible_to(stateless).exists()
