"""The capture app's shell, manifest and service worker: what makes /app/ installable and usable
offline. The app itself is tested in the browser (test_app_browser.py)."""

import json
import re

import pytest
from django.contrib.staticfiles import finders

from apoyo.capture_app import views as app_views

pytestmark = pytest.mark.django_db


def test_the_app_shell_opens_without_logging_in_and_holds_no_personal_data(client):
    response = client.get("/app/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es-MX">' in html
    assert '<link rel="manifest" href="/app/manifest.webmanifest">' in html
    assert 'type="module" src="/static/app/app.js"' in html
    assert 'data-sw="/app/sw.js"' in html
    # Served from the service worker's cache to anybody: no session, no CSRF token.
    assert "csrfmiddlewaretoken" not in html
    assert not response.cookies


def test_the_manifest_makes_the_app_installable(client):
    response = client.get("/app/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Apoyo Captura"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/app/",
        "/app/",
        "standalone",
    )
    assert manifest["theme_color"] == "#6b1d33"
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["purpose"] == "any"}
    assert sizes == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/"))


def test_the_service_worker_is_served_from_the_app_scope_and_never_cached(client):
    response = client.get("/app/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/app/"
    script = response.content.decode()
    assert 'const API = "/api/";' in script
    assets = json.loads(re.search(r"const ASSETS = (\[.*?\]);", script).group(1))
    assert assets[:2] == ["/app/", "/app/manifest.webmanifest"]
    assert "/static/app/app.js" in assets and "/static/app/icons/icon-512.png" in assets


def test_every_module_the_app_imports_is_cached_by_the_service_worker():
    """A module missing from the cache would break the app offline only, the hardest place to
    notice it."""
    cached = {path.removeprefix("app/") for path in app_views.STATIC_ASSETS}
    pending, seen = ["app.js"], set()
    while pending:
        name = pending.pop()
        seen.add(name)
        with open(finders.find(f"app/{name}"), encoding="utf-8") as module:
            for imported in re.findall(r'from "\./([\w.]+)"', module.read()):
                if imported not in seen:
                    pending.append(imported)
    assert seen == {
        "app.js",
        "api.js",
        "capture.js",
        "db.js",
        "form.js",
        "home.js",
        "pending.js",
        "rules.js",
        "signature.js",
        "sync.js",
        "ui.js",
    }
    assert seen <= cached


def test_the_service_worker_version_follows_the_files_it_caches(client, monkeypatch):
    first = client.get("/app/sw.js").content
    assert client.get("/app/sw.js").content == first

    monkeypatch.setattr(app_views, "THEME_COLOUR", "#000000")  # The manifest changes.
    assert client.get("/app/sw.js").content != first


def test_the_app_answers_only_reads(client):
    assert client.post("/app/").status_code == 405
    assert client.post("/app/sw.js").status_code == 405
