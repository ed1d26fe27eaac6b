import pytest
from django.urls import reverse

from apoyo.accounts.models import Role, User
from apoyo.aspirants.models import Aspirant
from apoyo.processes.models import Office, Process
from apoyo.supports.models import Inconsistency
from apoyo.testing.factories import make_office, make_process, make_sections, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    make_sections()
    user = make_user(Role.OPL_ADMIN)
    client.force_login(user)
    return user


def test_only_opl_administrators_reach_administration(client):
    for role in (Role.OPL_CAPTURIST, Role.OPL_REVIEWER, Role.ASPIRANT, Role.INE_DERFE):
        client.force_login(make_user(role))
        for name in ("processes:index", "aspirants:list", "user_list", "supports:inconsistencies"):
            assert client.get(reverse(name)).status_code == 403, (role, name)


def test_admin_creates_a_process_in_their_own_entity(client, admin):
    response = client.post(
        reverse("processes:process_create"),
        {
            "code": "PEL-2024",
            "name": "Proceso Electoral Local 2023-2024",
            "roll_cut_date": "2023-08-31",
        },
    )
    process = Process.objects.get(code="PEL-2024")
    assert response["Location"] == reverse("processes:detail", args=[process.pk])
    assert process.state_id == 26


def test_admin_creates_an_office_with_dispersion_and_bad_rules_are_explained(client, admin):
    process = make_process()
    url = reverse("processes:office_create", args=[process.pk])
    data = {
        "code": "AYTO-49",
        "name": "Ayuntamiento de Hermosillo",
        "scope_type": "municipality",
        "scope_number": "49",
        "collection_start": "2021-01-04",
        "collection_end": "2021-02-02",
        "threshold_percent": "3",
        "dispersion_unit": "section",
        "dispersion_min_units_fraction": "0.5",
        "dispersion_min_percent": "1",
    }
    bad = client.post(url, dict(data, scope_number="999", collection_end="2020-01-01"))
    assert bad.status_code == 400
    assert "fin del periodo" in bad.content.decode()
    missing_scope = client.post(url, dict(data, scope_number="999"))
    assert "No existe ese ámbito" in missing_scope.content.decode()
    both = client.post(url, dict(data, dispersion_min_units="3"))
    assert "solo una" in both.content.decode()
    client.post(url, data)
    office = Office.objects.get(process=process, code="AYTO-49")
    assert office.scope_number == 49 and office.dispersion_unit == "section"


def test_admin_sets_the_paper_regime(client, admin):
    process = make_process()
    url = reverse("processes:paper_regime", args=[process.pk])
    aconchi = process.state.municipalities.get(number=1)
    bad = client.post(url, {"has_paper_regime": "on", "sections_text": "3, 77777"})
    assert "77777" in bad.content.decode()
    client.post(
        url,
        {
            "has_paper_regime": "on",
            "paper_regime_municipalities": [aconchi.pk],
            "sections_text": "3",
        },
    )
    process.refresh_from_db()
    assert process.has_paper_regime
    assert list(process.paper_regime_municipalities.all()) == [aconchi]
    assert list(process.paper_regime_sections.values_list("number", flat=True)) == [3]


def test_admin_registers_an_aspirant_whose_portal_password_they_set_by_link(
    client, admin, mailoutbox
):
    office = make_office()
    client.post(
        reverse("aspirants:create"),
        {
            "office": office.pk,
            "code": "a-09",
            "name": "LUCIA",
            "paternal_surname": "FELIX",
            "maternal_surname": "",
            "email": "lucia@example.org",
            "username": "lucia.felix",
        },
    )
    aspirant = Aspirant.objects.get(code="A-09")
    assert aspirant.user.username == "lucia.felix"
    assert aspirant.user.role == Role.ASPIRANT and aspirant.user.state_id == 26
    assert not aspirant.user.has_usable_password()
    assert mailoutbox[0].to == ["lucia@example.org"]
    assert "/contrasena/nueva/" in mailoutbox[0].body


def test_admin_cannot_edit_another_entitys_office_or_aspirant(client, admin):
    jalisco_office = make_office(make_process(state_number=14))
    assert (
        client.get(reverse("processes:office_update", args=[jalisco_office.pk])).status_code == 404
    )
    assert (
        client.get(reverse("processes:detail", args=[jalisco_office.process.pk])).status_code == 404
    )


def test_admin_creates_opl_users_only_in_their_entity(client, admin, mailoutbox):
    client.post(
        reverse("user_create"),
        {
            "username": "nuevo.revisor",
            "first_name": "Nuevo",
            "last_name": "Revisor",
            "email": "revisor@example.mx",
            "role": Role.OPL_REVIEWER,
        },
    )
    user = User.objects.get(username="nuevo.revisor")
    assert user.state_id == 26 and user.role == Role.OPL_REVIEWER
    # Nobody typed their password: they set it with the link e-mailed to them.
    assert not user.has_usable_password()
    assert mailoutbox[0].to == ["revisor@example.mx"] and "/contrasena/nueva/" in mailoutbox[0].body
    refused = client.post(
        reverse("user_create"),
        {"username": "x", "first_name": "X", "email": "x@example.mx", "role": Role.INE_DERFE},
    )
    assert refused.status_code == 200 and not User.objects.filter(username="x").exists()


def test_admin_extends_the_inconsistency_catalogue_for_their_entity(client, admin):
    client.post(
        reverse("supports:inconsistencies"),
        {"code": "firma ilegible", "name": "Firma ilegible", "active": "on"},
    )
    added = Inconsistency.objects.get(code="FIRMA_ILEGIBLE")
    assert added.state_id == 26
    duplicate = client.post(reverse("supports:inconsistencies"), {"code": "FOTOCOPIA", "name": "x"})
    assert duplicate.status_code == 400


def test_the_admin_names_the_opl_and_uploads_its_logo_for_the_dictamen(client, admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apoyo.processes.models import Institute
    from apoyo.testing.files import png

    logo = SimpleUploadedFile("logo.png", png(), "image/png")
    response = client.post(
        reverse("processes:institute"),
        {
            "name": "Instituto Estatal Electoral de Sonora",
            "heading": "Consejo General",
            "logo": logo,
        },
    )
    assert response.status_code == 302
    institute = Institute.objects.get(state=26)
    assert (institute.name, institute.heading) == (
        "Instituto Estatal Electoral de Sonora",
        "Consejo General",
    )
    assert institute.logo.name.startswith("institutos/")
    fake = SimpleUploadedFile("logo.png", b"MZ no es una imagen", "image/png")
    refused = client.post(reverse("processes:institute"), {"name": "X", "logo": fake})
    assert refused.status_code == 400
