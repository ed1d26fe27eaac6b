"""Security headers and error pages: every response carries the Content-Security-Policy (with no
'unsafe-inline') and the Permissions-Policy; what may hold personal data is never stored by a
cache; the error pages speak Spanish; and no template brings inline script or style back."""

import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from apoyo.accounts.models import Role
from apoyo.core.tests.urls import REASON
from apoyo.testing.capture_app import auth, make_auxiliary, token_for
from apoyo.testing.factories import make_user

pytestmark = pytest.mark.django_db

TEST_URLS = "apoyo.core.tests.urls"
APOYO = Path(__file__).resolve().parents[2]

EXPECTED_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "object-src": "'self'",
    "frame-src": "'self'",
    "frame-ancestors": "'self'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "connect-src": "'self'",
    "worker-src": "'self'",
    "manifest-src": "'self'",
}


@pytest.fixture
def headers_on(security_headers):
    security_headers.ROOT_URLCONF = TEST_URLS
    return security_headers


@pytest.fixture
def capturist_client(client):
    client.force_login(make_user(Role.OPL_CAPTURIST))
    return client


def directives(response):
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def no_store(response):
    return "no-store" in response.get("Cache-Control", "")


# --- Content-Security-Policy and Permissions-Policy -------------------------------------------


def test_pages_carry_the_content_security_policy_without_unsafe_inline(
    headers_on, capturist_client
):
    response = capturist_client.get(reverse("supports:list"))
    assert response.status_code == 200
    assert directives(response) == EXPECTED_POLICY
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_the_login_page_and_the_capture_app_carry_it_too(headers_on, client):
    for url in (reverse("login"), reverse("capture_app:shell")):
        assert directives(client.get(url)) == EXPECTED_POLICY


def test_every_response_carries_the_permissions_policy_allowing_only_the_camera(headers_on, client):
    for url in (reverse("login"), reverse("capture_app:shell"), "/no-existe/"):
        policy = client.get(url)["Permissions-Policy"]
        features = dict(item.strip().split("=") for item in policy.split(","))
        assert features["camera"] == "(self)"
        assert features["microphone"] == features["geolocation"] == "()"
        assert features["payment"] == features["usb"] == "()"


# --- Cache-Control: no-store ------------------------------------------------------------------


def test_a_page_for_a_signed_in_user_is_never_stored(headers_on, capturist_client):
    assert no_store(capturist_client.get(reverse("supports:list")))


def test_a_download_for_a_signed_in_user_is_never_stored(headers_on, capturist_client):
    response = capturist_client.get(reverse("uploads:template", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert no_store(response)


def test_a_file_is_never_stored_even_when_sent_without_a_session(headers_on, client):
    response = client.get("/prueba/archivo/")
    assert response.status_code == 200
    assert no_store(response)


def test_the_api_answer_to_an_auxiliary_token_is_never_stored(headers_on, client):
    response = client.get(reverse("api:profile"), **auth(token_for(make_auxiliary())))
    assert response.status_code == 200
    assert no_store(response)


def test_static_files_stay_cacheable_even_for_a_signed_in_user(headers_on, capturist_client):
    response = capturist_client.get("/static/apoyo/apoyo.css")
    assert response.status_code == 200
    assert not no_store(response)
    assert response["Permissions-Policy"]


# --- Error pages ------------------------------------------------------------------------------


def test_403_page_is_spanish_shows_the_reason_and_keeps_the_navigation(
    headers_on, capturist_client
):
    response = capturist_client.get("/prueba/prohibido/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "No tiene permiso para esta página" in page and REASON in page
    assert 'aria-label="Principal"' in page and ">Apoyos</a>" in page
    assert "Forbidden" not in page
    assert directives(response) == EXPECTED_POLICY


def test_403_page_without_a_reason_gives_a_general_one(headers_on, capturist_client):
    page = capturist_client.get("/prueba/prohibido-sin-motivo/").content.decode()
    assert "Su cuenta no tiene acceso a esta página o a esta acción." in page


def test_403_page_shows_a_refusal_of_the_project_itself(headers_on, client):
    client.force_login(make_user(Role.INE_DERFE))
    response = client.get(reverse("capture_app:image", args=[1]))
    page = response.content.decode()
    assert response.status_code == 403
    assert "Su rol no tiene acceso a las imágenes de los apoyos." in page
    assert ">Padrón</a>" in page


def test_404_page_is_spanish_and_keeps_the_navigation(headers_on, capturist_client):
    response = capturist_client.get("/no-existe/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "No encontramos esta página" in page and "Ir al inicio" in page
    assert 'aria-label="Principal"' in page and ">Captura</a>" in page
    assert "Not Found" not in page


def test_404_page_does_not_repeat_the_english_text_of_the_exception(capturist_client):
    support_detail = reverse("supports:detail", args=[999999])
    page = capturist_client.get(support_detail).content.decode()
    assert "No encontramos esta página" in page
    assert "matches the given query" not in page


def test_404_page_for_an_anonymous_visitor_has_no_navigation(client):
    page = client.get("/no-existe/").content.decode()
    assert "No encontramos esta página" in page and 'aria-label="Principal"' not in page


def test_500_page_is_spanish_and_renders_when_a_view_fails(headers_on):
    client = Client(raise_request_exception=False)
    response = client.get("/prueba/falla/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Ocurrió un error en el sistema" in page and "Ir al inicio" in page
    assert "apoyo/apoyo.css" in page
    assert directives(response) == EXPECTED_POLICY


def test_500_page_needs_no_database_and_no_context(django_assert_num_queries):
    with django_assert_num_queries(0):
        page = render_to_string("500.html")
    assert "Ocurrió un error en el sistema" in page and 'href="/"' in page


def test_400_page_is_spanish():
    page = render_to_string("400.html")
    assert "No pudimos procesar la solicitud" in page


def test_a_form_without_its_csrf_token_gets_a_spanish_page(headers_on):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("logout"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "El formulario ya no es válido" in page and "CSRF verification failed" not in page


# --- No inline script or style in any template or script ----------------------------------------

# Django comments are left out: they may explain what the markup no longer does.
COMMENTS = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}", re.DOTALL)
INLINE_IN_TEMPLATES = {
    "a <style> element": re.compile(r"<style\b", re.IGNORECASE),
    "a style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "an inline <script>": re.compile(r"<script\b(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE),
    "an event handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE),
    "an htmx hx-on handler": re.compile(r"\s(data-)?hx-on", re.IGNORECASE),
    "a javascript: address": re.compile(r"javascript:", re.IGNORECASE),
}
INLINE_IN_SCRIPTS = {
    "a style attribute written from a script": re.compile(
        r"setAttribute\(\s*[\"']style|style=|cssText", re.IGNORECASE
    ),
    "code built from a string": re.compile(r"\beval\(|new Function\(|setTimeout\(\s*[\"']"),
}
# Third-party code, kept as published: htmx.min.js is configured not to inject styles or
# evaluate code (the htmx-config meta element of base.html).
VENDORED = {"htmx.min.js"}


def project_files(folder, suffix):
    for path in sorted(APOYO.rglob(f"*{suffix}")):
        parts = path.relative_to(APOYO).parts
        if folder in parts and path.name not in VENDORED:
            yield path


def findings(paths, patterns, root=APOYO.parent):
    found = []
    for path in paths:
        text = COMMENTS.sub("", path.read_text(encoding="utf-8"))
        for what, pattern in patterns.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(root)}:{line}: {what}")
    return found


def test_no_template_has_inline_script_style_or_event_handlers():
    templates = list(project_files("templates", ".html"))
    assert len(templates) > 50
    assert findings(templates, INLINE_IN_TEMPLATES) == []


def test_no_script_writes_inline_styles_or_evaluates_strings():
    scripts = [*project_files("static", ".js"), *project_files("templates", ".js")]
    assert any(path.name == "review.js" for path in scripts)
    assert findings(scripts, INLINE_IN_SCRIPTS) == []


def test_the_template_check_catches_what_it_looks_for(tmp_path):
    sample = tmp_path / "page.html"
    sample.write_text(
        '<div style="margin:0"><style>p{}</style><script>alert(1)</script>\n'
        '<button onclick="go()">Ir</button><a href="javascript:go()">Ir</a></div>\n'
        '<script src="/static/ok.js"></script>{# style="explained" #}',
        encoding="utf-8",
    )
    assert findings([sample], INLINE_IN_TEMPLATES, root=tmp_path) == [
        "page.html:1: a <style> element",
        "page.html:1: a style attribute",
        "page.html:1: an inline <script>",
        "page.html:2: an event handler attribute",
        "page.html:2: a javascript: address",
    ]
