"""The rows of an open cédula on its capture page: "Terminar cédula" keeps the choice for the next
one, the warnings of a row are said while it is typed, a saved row is corrected in place, and an
aspirant corrects their own pre-captured rows until the mesa de control reviews them."""

import pytest
from django.urls import reverse

from apoyo.accounts.models import AccessLog, Role
from apoyo.review import services as review
from apoyo.supports.cedula_rows import correct_own_precapture, typed_row_warnings
from apoyo.supports.models import ChangeAction, Status, Support, SupportChange
from apoyo.supports.policies import can_correct_own_support
from apoyo.supports.services import capture_support, open_cedula, withdraw_support
from apoyo.testing.factories import PERIOD_START, make_aspirant, make_user, precaptured
from apoyo.testing.factories import row as factory_row

pytestmark = pytest.mark.django_db


def key(n):
    """A clave of JUAN GARCIA LOPEZ born on 1985-01-01 in Sonora: no warnings."""
    return f"GRLPJN85010126H{n:03d}"


def row(n, **values):
    return factory_row(n, CLAVE_ELECTOR=key(n)) | values


# A clave of GARCIA LOPEZ JUAN (GRLPJN) typed for GARCIA LOPEZ MARIO: the name implies GRLPMR.
MISMATCH = row(1, NOMBRE="Mario")


@pytest.fixture
def capturist(client):
    user = make_user(Role.OPL_CAPTURIST)
    client.force_login(user)
    return user


@pytest.fixture
def cedula(capturist):
    cedula, errors = open_cedula(capturist, make_aspirant(with_user=True), "C-1", PERIOD_START)
    assert errors == []
    return cedula


def post_row(client, url, values):
    return client.post(url, {"TIPO_INCONSISTENCIA": "", **values})


# Terminar cédula -----------------------------------------------------------------------------------


def test_terminar_cedula_keeps_cargo_and_aspirant_and_waits_on_the_next_folio(client, cedula):
    page = client.get(reverse("supports:cedula", args=[cedula.pk])).text
    office = cedula.aspirant.office
    done = (
        f"{reverse('supports:capture')}?process={office.process_id}&amp;office={office.pk}"
        f"&amp;aspirant={cedula.aspirant_id}&amp;siguiente=1"
    )
    assert f'href="{done}">Terminar cédula</a>' in page
    capture = client.get(done.replace("&amp;", "&")).text
    assert f'<option value="{office.pk}" selected>' in capture
    assert f'<option value="{cedula.aspirant_id}" selected>' in capture
    assert 'data-focus-first="id_reference"' in capture
    assert "errorlist" not in capture


def test_the_aspirants_terminar_cedula_waits_on_the_next_folio(client):
    aspirant = make_aspirant(with_user=True)
    [support] = precaptured(aspirant, [1])
    client.force_login(aspirant.user)
    page = client.get(reverse("supports:precapture_cedula", args=[support.cedula_id])).text
    done = f"{reverse('supports:precapture_cedulas')}?siguiente=1"
    assert f'href="{done}">Terminar cédula</a>' in page
    assert 'data-focus-first="id_reference"' in client.get(done).text
    assert 'data-focus-first="id_reference"' not in client.get(done.split("?")[0]).text


# Warnings as the row is typed ------------------------------------------------------------------------


def test_the_row_form_asks_for_its_warnings_on_change_without_inline_script(client, cedula):
    page = client.get(reverse("supports:cedula", args=[cedula.pk])).text
    url = reverse("supports:cedula_warnings", args=[cedula.pk])
    assert f'hx-post="{url}"' in page
    assert 'hx-trigger="change delay:400ms from:closest form"' in page
    assert 'aria-live="polite"' in page and "<script>" not in page


def test_warnings_of_a_typed_row_name_the_letters_the_name_implies(client, cedula):
    url = reverse("supports:cedula_warnings", args=[cedula.pk])
    answer = post_row(client, url, MISMATCH).text
    assert "(se esperaba GRLPMR): revise el nombre." in answer
    assert post_row(client, url, row(1)).text.strip() == ""
    assert post_row(client, url, row(1, CLAVE_ELECTOR="GRLP")).text.strip() == ""
    assert not Support.objects.exists()


def test_warnings_of_a_typed_row_say_the_clave_is_already_captured(client, capturist, cedula):
    capture_support(capturist, cedula, row(1))
    other, _ = open_cedula(capturist, cedula.aspirant, "C-2", PERIOD_START)
    answer = post_row(client, reverse("supports:cedula_warnings", args=[other.pk]), row(1)).text
    assert "ya está capturada para este aspirante (cédula C-1)" in answer
    assert AccessLog.objects.filter(object_type="clave repetida en cédulas").exists()


def test_typed_warnings_are_those_the_capture_gives(capturist, cedula):
    capture_support(capturist, cedula, row(2))
    values = row(2, NOMBRE="Mario", CLAVE_ELECTOR="GRLPJN85023140H002")
    other, _ = open_cedula(capturist, cedula.aspirant, "C-2", PERIOD_START)
    expected = typed_row_warnings(other, values)
    assert len(expected) == 3
    assert capture_support(capturist, other, values).warnings == expected


def test_only_the_opl_and_the_cedulas_own_aspirant_get_its_warnings(client, cedula):
    client.force_login(cedula.aspirant.user)
    assert (
        post_row(
            client, reverse("supports:cedula_warnings", args=[cedula.pk]), MISMATCH
        ).status_code
        == 403
    )
    stranger = make_aspirant(with_user=True)
    client.force_login(stranger.user)
    url = reverse("supports:precapture_warnings", args=[cedula.pk])
    assert post_row(client, url, MISMATCH).status_code == 404


def test_manual_capture_and_precapture_messages_name_the_expected_letters(client, cedula):
    response = post_row(client, reverse("supports:cedula", args=[cedula.pk]), MISMATCH)
    page = client.get(response["Location"]).text
    assert "se esperaba GRLPMR" in page
    aspirant = make_aspirant(with_user=True)
    [support] = precaptured(aspirant, [5])
    client.force_login(aspirant.user)
    url = reverse("supports:precapture_cedula", args=[support.cedula_id])
    page = client.post(url, MISMATCH, follow=True).text
    assert "se esperaba GRLPMR" in page


# Correcting a saved row from the cédula page ---------------------------------------------------------


def test_a_saved_row_is_corrected_from_the_cedula_page_with_history(client, capturist, cedula):
    support = capture_support(capturist, cedula, MISMATCH).support
    page = client.get(reverse("supports:cedula", args=[cedula.pk]), {"fila": support.pk}).text
    action = reverse("supports:cedula_row", args=[cedula.pk, support.pk])
    assert f'action="{action}"' in page and 'value="MARIO"' in page
    assert "Guardar corrección" in page and "load, change" in page
    response = post_row(client, action, row(1, NOMBRE="Juan"))
    assert response["Location"] == reverse("supports:cedula", args=[cedula.pk])
    support.refresh_from_db()
    assert (support.name, support.warnings) == ("JUAN", "")
    change = SupportChange.objects.get(support=support, action=ChangeAction.CORRECTED)
    assert (change.old_value, change.new_value, change.user) == ("MARIO", "JUAN", capturist)
    assert "corregida" in client.get(response["Location"]).text


def test_a_correction_from_the_cedula_page_passes_the_row_rules(client, capturist, cedula):
    support = capture_support(capturist, cedula, row(1)).support
    capture_support(capturist, cedula, row(2))
    action = reverse("supports:cedula_row", args=[cedula.pk, support.pk])
    response = post_row(client, action, row(1, OCR="12"))
    assert response.status_code == 400 and "13 dígitos" in response.text
    response = post_row(client, action, row(2))
    assert response.status_code == 400 and "ya está capturada en la misma cédula" in response.text
    support.refresh_from_db()
    assert support.ocr == f"{1:013d}"


def test_a_withdrawn_row_is_not_corrected_from_the_cedula_page(client, capturist, cedula):
    support = capture_support(capturist, cedula, row(1)).support
    withdraw_support(capturist, support, "duplicado")
    page = client.get(reverse("supports:cedula", args=[cedula.pk]), {"fila": support.pk}).text
    assert "Guardar corrección" not in page
    action = reverse("supports:cedula_row", args=[cedula.pk, support.pk])
    post_row(client, action, row(1, NOMBRE="Pedro"))
    support.refresh_from_db()
    assert support.name == "JUAN"


# The aspirant corrects an unreviewed row of their pre-captura ------------------------------------------


@pytest.fixture
def own_row():
    aspirant = make_aspirant(with_user=True)
    [support] = precaptured(aspirant, [1])
    return support


def test_an_aspirant_corrects_a_pending_row_and_the_opl_sees_the_history(client, own_row):
    user = own_row.aspirant.user
    client.force_login(user)
    cedula_url = reverse("supports:precapture_cedula", args=[own_row.cedula_id])
    page = client.get(cedula_url).text
    assert f'href="?fila={own_row.pk}#fila-form"' in page
    portal = client.get(reverse("supports:portal_support", args=[own_row.pk])).text
    assert f"?fila={own_row.pk}#fila-form" in portal and "Corregir la fila" in portal
    action = reverse("supports:precapture_row", args=[own_row.cedula_id, own_row.pk])
    assert f'action="{action}"' in client.get(cedula_url, {"fila": own_row.pk}).text
    response = client.post(action, factory_row(1, APELLIDO_MATERNO="Lozano"), follow=True)
    assert "sigue pendiente de revisión del OPL" in response.text
    own_row.refresh_from_db()
    assert (own_row.maternal_surname, own_row.status) == ("LOZANO", Status.PENDING_REVIEW)
    client.force_login(make_user(Role.OPL_REVIEWER))
    history = client.get(reverse("supports:detail", args=[own_row.pk])).text
    assert "LOPEZ" in history and "LOZANO" in history


def test_an_aspirant_may_not_correct_a_row_once_reviewed(client, own_row):
    reviewer = make_user(Role.OPL_REVIEWER)
    review.accept_support(reviewer, own_row)
    user = own_row.aspirant.user
    assert not can_correct_own_support(user, own_row)
    result = correct_own_precapture(user, own_row, factory_row(1, NOMBRE="Pedro"))
    assert "ya revisó" in result.errors[0].message
    client.force_login(user)
    page = client.get(reverse("supports:precapture_cedula", args=[own_row.cedula_id])).text
    assert "?fila=" not in page
    action = reverse("supports:precapture_row", args=[own_row.cedula_id, own_row.pk])
    assert client.post(action, factory_row(1, NOMBRE="Pedro")).status_code == 400
    own_row.refresh_from_db()
    assert own_row.name == "JUAN"


def test_an_aspirant_never_sets_the_tipo_de_inconsistencia_by_correcting(own_row):
    user = own_row.aspirant.user
    result = correct_own_precapture(user, own_row, factory_row(1, TIPO_INCONSISTENCIA="FOTOCOPIA"))
    assert result.errors == []
    own_row.refresh_from_db()
    assert own_row.inconsistency is None


def test_an_aspirant_corrects_only_their_own_rows(client, own_row):
    stranger = make_aspirant(office=own_row.aspirant.office, with_user=True)
    assert not can_correct_own_support(stranger.user, own_row)
    assert not can_correct_own_support(make_user(Role.OPL_ADMIN), own_row)
    client.force_login(stranger.user)
    action = reverse("supports:precapture_row", args=[own_row.cedula_id, own_row.pk])
    assert client.post(action, factory_row(1, NOMBRE="Pedro")).status_code == 404
    own_row.refresh_from_db()
    assert own_row.name == "JUAN"


def test_the_opls_own_capture_is_not_the_aspirants_to_correct(capturist, cedula):
    support = capture_support(capturist, cedula, row(1)).support
    assert not can_correct_own_support(cedula.aspirant.user, support)
