"""The aspirant's pre-capture: cédulas with scans, rows typed or uploaded with the OPL's template,
all entering the mesa de control queue as pending review; and nothing outside their own record."""

import pytest
from django.urls import reverse

from apoyo.accounts.models import AccessLog, Role
from apoyo.review import services as review
from apoyo.review.queue import review_queue
from apoyo.supports.models import (
    Cedula,
    CedulaScan,
    Channel,
    Inconsistency,
    Status,
    Support,
)
from apoyo.testing.factories import (
    make_aspirant,
    make_office,
    make_process,
    make_user,
    precaptured,
    row,
)
from apoyo.testing.files import EXECUTABLE, PDF, good_row, png, uploaded, write_csv
from apoyo.uploads.services import register_upload, run_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def aspirant():
    return make_aspirant(with_user=True)


@pytest.fixture
def portal(client, aspirant):
    client.force_login(aspirant.user)
    return client


def upload_as_aspirant(aspirant, path):
    with open(path, "rb") as source:
        upload = register_upload(
            aspirant.user, aspirant, source, path.name, channel=Channel.ASPIRANT
        )
    return run_upload(upload)


# Cédulas, scans and rows ---------------------------------------------------------------------------


def test_aspirant_registers_a_cedula_with_its_scans_and_captures_pending_rows(portal, aspirant):
    response = portal.post(
        reverse("supports:precapture_cedulas"),
        {
            "reference": " p-001 ",
            "date": "2020-12-20",
            "scans": [uploaded("frente.png", png()), uploaded("cedula.pdf", PDF)],
        },
    )
    cedula = Cedula.objects.get(aspirant=aspirant, reference="P-001")
    assert response["Location"] == reverse("supports:precapture_cedula", args=[cedula.pk])
    assert sorted(cedula.scans.values_list("kind", flat=True)) == ["pdf", "png"]
    assert cedula.created_by == aspirant.user

    url = reverse("supports:precapture_cedula", args=[cedula.pk])
    page = portal.get(url).content.decode()
    assert "frente.png" in page and 'name="TIPO_INCONSISTENCIA"' not in page
    bad = portal.post(url, row(1, CLAVE_ELECTOR="GRLPJN8501", OCR="abc"))
    assert bad.status_code == 400 and "La clave de elector" in bad.content.decode()
    good = portal.post(url, row(1), follow=True)
    assert "queda pendiente de revisión del OPL" in good.content.decode()
    support = Support.objects.get(cedula=cedula)
    assert (support.channel, support.status, support.captured_by) == (
        Channel.ASPIRANT,
        Status.PENDING_REVIEW,
        aspirant.user,
    )
    assert support in review_queue(make_user(Role.OPL_REVIEWER))


def test_an_inconsistency_type_typed_by_the_aspirant_is_ignored_by_the_form(portal, aspirant):
    precaptured(aspirant, [], reference="P-2")
    cedula = Cedula.objects.get(reference="P-2")
    url = reverse("supports:precapture_cedula", args=[cedula.pk])
    portal.post(url, row(1, TIPO_INCONSISTENCIA="FOTOCOPIA"))
    assert Support.objects.get().inconsistency is None


def test_registering_a_cedula_needs_a_scan_and_a_date_inside_the_period(portal, aspirant):
    url = reverse("supports:precapture_cedulas")
    no_scan = portal.post(url, {"reference": "P-1", "date": "2020-12-20"})
    assert no_scan.status_code == 400
    outside = portal.post(
        url, {"reference": "P-1", "date": "2022-01-01", "scans": [uploaded("a.pdf", PDF)]}
    )
    assert outside.status_code == 400 and "fuera del periodo" in outside.content.decode()
    renamed = portal.post(
        url, {"reference": "P-1", "date": "2020-12-20", "scans": [uploaded("a.pdf", EXECUTABLE)]}
    )
    assert renamed.status_code == 400 and "por su contenido" in renamed.content.decode()
    assert not Cedula.objects.exists() and not CedulaScan.objects.exists()


def test_cedula_list_shows_rows_pending_and_missing_scans(portal, aspirant):
    precaptured(aspirant, [1, 2], reference="P-7")
    page = portal.get(reverse("supports:precapture_cedulas")).content.decode()
    assert "P-7" in page and "sin escaneo" in page


def test_aspirant_reaches_only_their_own_cedulas_and_uploads(portal, aspirant, tmp_path):
    other = make_aspirant(aspirant.office, with_user=True)
    precaptured(other, [5], reference="O-1")
    their_cedula = Cedula.objects.get(reference="O-1")
    their_upload = upload_as_aspirant(other, write_csv(tmp_path / "o.csv", [good_row(9)]))
    for url in (
        reverse("supports:precapture_cedula", args=[their_cedula.pk]),
        reverse("uploads:aspirant_detail", args=[their_upload.pk]),
        reverse("uploads:aspirant_report", args=[their_upload.pk, "csv"]),
    ):
        assert portal.get(url).status_code == 404, url
    response = portal.post(
        reverse("supports:precapture_scans", args=[their_cedula.pk]),
        {"scans": [uploaded("a.pdf", PDF)]},
    )
    assert response.status_code == 404
    assert (
        portal.post(
            reverse("supports:precapture_cedula", args=[their_cedula.pk]), row(1)
        ).status_code
        == 404
    )
    assert "O-1" not in portal.get(reverse("supports:precapture_cedulas")).content.decode()


def test_aspirant_cannot_call_any_review_action(portal, aspirant):
    support = precaptured(aspirant, [1])[0]
    simulacion = Inconsistency.objects.get(code="SIMULACION")
    for url, data in (
        (reverse("review:accept", args=[support.pk]), {}),
        (
            reverse("review:inconsistency", args=[support.pk]),
            {"inconsistency": simulacion.pk},
        ),
        (reverse("review:confirm", args=[support.pk]), {"decision": "confirm"}),
    ):
        assert portal.post(url, data).status_code == 403, url
    for name in ("review:queue", "review:confirmations", "review:panel"):
        assert portal.get(reverse(name)).status_code == 403, name
    assert portal.get(reverse("review:support", args=[support.pk])).status_code == 403
    support.refresh_from_db()
    assert support.status == Status.PENDING_REVIEW


def test_opl_users_do_not_use_the_aspirant_pages(client):
    client.force_login(make_user(Role.OPL_CAPTURIST))
    for name in ("supports:precapture_cedulas", "uploads:aspirant_list"):
        assert client.get(reverse(name)).status_code == 403


def test_an_aspirant_account_without_an_aspirant_record_gets_not_found(client):
    client.force_login(make_user(Role.ASPIRANT))
    assert client.get(reverse("supports:precapture_cedulas")).status_code == 404


# The portal ----------------------------------------------------------------------------------------


def test_portal_shows_pending_accepted_and_rejected_supports(portal, aspirant):
    supports = precaptured(aspirant, [1, 2, 3])
    reviewer = make_user(Role.OPL_REVIEWER)
    review.accept_support(reviewer, supports[0])
    review.record_inconsistency(
        reviewer, supports[1], Inconsistency.objects.get(code="ILEGIBLE"), "No se lee"
    )
    page = portal.get(reverse("supports:portal")).content.decode()
    assert "Rechazado: ILEGIBLE" in page and "Aceptado" in page and "Pendiente" in page
    assert reverse("supports:precapture_cedulas") in page
    assert reverse("uploads:aspirant_list") in page
    only_rejected = portal.get(reverse("supports:portal"), {"state": "rejected"}).content.decode()
    assert supports[1].elector_key in only_rejected
    assert supports[0].elector_key not in only_rejected
    only_pending = portal.get(reverse("supports:portal"), {"state": "pending"}).content.decode()
    assert supports[2].elector_key in only_pending
    assert supports[0].elector_key not in only_pending
    detail = portal.get(reverse("supports:portal_support", args=[supports[1].pk]))
    assert "No se lee" in detail.content.decode()
    assert AccessLog.objects.filter(user=aspirant.user, object_type="apoyos propios").exists()


def test_aspirant_of_another_entity_never_sees_this_entitys_supports(client, aspirant):
    precaptured(aspirant, [1])
    jalisco = make_aspirant(make_office(make_process(state_number=14)), with_user=True)
    client.force_login(jalisco.user)
    page = client.get(reverse("supports:portal")).content.decode()
    assert "GRLPJN00000026H001" not in page
