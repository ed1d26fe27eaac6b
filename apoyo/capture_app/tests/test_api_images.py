"""The app's supports in the OPL's and the aspirant's pages: the mesa de control queue with the
four photos, the aspirant portal, and photos served only to those allowed (and logged). Also the
API's schema and documentation pages."""

import re

import pytest
from django.urls import reverse

from apoyo.accounts.models import AccessLog, Role
from apoyo.review import services as review
from apoyo.review.queue import review_queue
from apoyo.supports.models import Support, SupportImage
from apoyo.supports.scans import support_images
from apoyo.testing.capture_app import auth, capture, make_auxiliary, open_office, send, token_for
from apoyo.testing.factories import make_aspirant, make_user
from apoyo.testing.files import JPEG, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def auxiliary():
    return make_auxiliary()


@pytest.fixture
def sent(client, auxiliary):
    """One support sent through the API, with its four photos."""
    response = send(client, token_for(auxiliary), capture(5))
    assert response.status_code == 201
    return Support.objects.get(client_uuid=response.json()["uuid"])


def image_url(support, kind):
    return reverse("capture_app:image", args=[support.images.get(kind=kind).pk])


# The mesa de control -------------------------------------------------------------------------------


def test_app_supports_enter_the_review_queue_with_their_four_images_in_order(client, sent):
    reviewer = make_user(Role.OPL_REVIEWER)
    assert list(review_queue(reviewer)) == [sent]
    images = support_images(sent)
    assert [image.label for image in images] == [
        "Credencial (frente)",
        "Credencial (reverso)",
        "Fotografía en vivo",
        "Firma",
    ]
    client.force_login(reviewer)
    queue = client.get(reverse("review:queue"), {"channel": "app"})
    assert sent.elector_key in queue.content.decode()
    assert "Aplicación móvil" in queue.content.decode()
    page = client.get(reverse("review:support", args=[sent.pk])).content.decode()
    assert 'class="app-images"' in page
    shown = re.findall(r'<img src="([^"]+)" alt="([^"]+)"', page)
    assert [alt for _, alt in shown] == [image.label for image in images]
    assert [url for url, _ in shown] == [image.url for image in images]


def test_a_reviewer_accepts_an_app_support_like_any_other(client, sent, auxiliary):
    reviewer = make_user(Role.OPL_REVIEWER)
    review.accept_support(reviewer, sent)
    sent.refresh_from_db()
    assert sent.status == "preliminary"


def test_the_aspirant_sees_app_supports_and_their_photos_in_the_portal(client, sent, auxiliary):
    client.force_login(auxiliary.aspirant.user)
    portal = client.get(reverse("supports:portal")).content.decode()
    assert sent.elector_key in portal and "Aplicación móvil" in portal
    detail = client.get(reverse("supports:portal_support", args=[sent.pk])).content.decode()
    assert image_url(sent, "selfie") in detail
    assert auxiliary.name in detail or str(auxiliary.user) in detail


# Who sees the photos -------------------------------------------------------------------------------


def test_photos_are_served_to_the_opl_of_the_entity_and_logged(client, sent):
    reviewer = make_user(Role.OPL_REVIEWER)
    client.force_login(reviewer)
    response = client.get(image_url(sent, "back"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png()
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    log = AccessLog.objects.filter(object_type="imagen de apoyo").get()
    assert (log.user, log.action) == (reviewer, "ver")
    assert "Credencial (reverso)" in log.detail


def test_photos_are_served_to_the_owning_aspirant(client, sent, auxiliary):
    client.force_login(auxiliary.aspirant.user)
    response = client.get(image_url(sent, "front"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == JPEG


def test_photos_are_served_to_the_capturing_auxiliary_with_the_app_token(client, sent, auxiliary):
    response = client.get(image_url(sent, "signature"), **auth(token_for(auxiliary)))
    assert response.status_code == 200
    assert AccessLog.objects.filter(user=auxiliary.user, object_type="imagen de apoyo").exists()


def test_photos_are_refused_to_everybody_else(client, sent, auxiliary):
    url = image_url(sent, "selfie")
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/entrar/" in anonymous["Location"]
    assert client.get(url, **auth("token-falso")).status_code == 401
    colleague = make_auxiliary(auxiliary.aspirant)
    assert client.get(url, **auth(token_for(colleague))).status_code == 404
    other_aspirant = make_aspirant(open_office(), with_user=True)
    client.force_login(other_aspirant.user)
    assert client.get(url).status_code == 404
    client.force_login(make_user(Role.OPL_REVIEWER, state_number=2))
    assert client.get(url).status_code == 404
    client.force_login(make_user(Role.INE_DERFE))
    assert client.get(url).status_code == 403
    assert not AccessLog.objects.filter(object_type="imagen de apoyo").exists()


def test_photo_files_live_outside_any_public_url(client, sent, settings):
    client.force_login(make_user(Role.OPL_REVIEWER))
    for image in SupportImage.objects.all():
        path = image.file.path
        assert path.startswith(str(settings.MEDIA_ROOT))
        assert not path.startswith(str(settings.STATIC_ROOT))
        for url in (f"/{image.file.name}", f"/static/{image.file.name}", image.file.url):
            assert client.get(url).status_code == 404


# Schema and documentation --------------------------------------------------------------------------


def test_the_openapi_schema_documents_the_endpoints_and_the_photos(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Apoyo API"
    assert set(schema["paths"]) == {"/api/v1/session/", "/api/v1/profile/", "/api/v1/supports/"}
    form = schema["components"]["schemas"]["SupportSubmitRequest"]
    for kind in ("front", "back", "selfie", "signature"):
        assert form["properties"][kind]["format"] == "binary"
        assert kind in form["required"]
    assert schema["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"


def test_the_documentation_page_renders_the_schema_without_external_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    for operation in ("POST /api/v1/session/", "GET /api/v1/profile/", "POST /api/v1/supports/"):
        assert operation in page
    assert "Fotografía en vivo" in page and "SupportItem" in page
    assert not re.search(r'(src|href)="(https?:)?//', page)
