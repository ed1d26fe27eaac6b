import os
import shutil

import pytest
from django.core.cache import cache

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    """Each test writes uploaded files and reports under its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "files"
    # Real hashing costs ~0.3 s per user; tests do not test the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Two-step verification has its own tests (accounts); elsewhere a signed-in test user is
    # already past it, as after a real sign-in.
    settings.APOYO_MFA_REQUIRED = False
    # Background jobs run at once, inside the test (DESIGN.md).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttles count in the cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _live_server_idle_before_flush(request):
    """A page may still be fetching when a browser test ends (the capture app refreshes its queue
    after a login). The database is emptied after this teardown, and on SQLite the live server
    shares the test's connection: a request still writing makes the flush fail, and the next test
    finds this one's rows. So close what the test left open and let the server finish first."""
    yield
    if "live_server" not in request.fixturenames:
        return
    from apoyo.testing.browser import wait_for_live_server_requests

    if "browser" in request.fixturenames:
        for context in request.getfixturevalue("browser").contexts:
            context.close()
    wait_for_live_server_requests()


DATABASE_FIXTURES = {"db", "transactional_db", "live_server"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        reach_every_database(item)
    skip_browser_tests_without_chromium(items)


def reach_every_database(item):
    """A test that uses the database may use all of them: on SQLite the bitácora, which nearly
    every view writes, is a database of its own (apoyo.accounts.routers)."""
    marker = item.get_closest_marker("django_db")
    if marker is None and not DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return
    options = dict(marker.kwargs) if marker else {}
    options["databases"] = "__all__"
    item.add_marker(pytest.mark.django_db(*(marker.args if marker else ()), **options), False)


def skip_browser_tests_without_chromium(items):
    """Browser tests need the system Chromium: skip with a reason where it is missing (never in CI)."""
    if os.path.exists(CHROMIUM) or shutil.which("chromium"):
        return
    reason = f"No hay Chromium del sistema en {CHROMIUM} (apt-get install chromium)."
    if os.environ.get("APOYO_REQUIRE_BROWSER"):
        raise pytest.UsageError(reason + " CI exige las pruebas de navegador.")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def artifacts_dir():
    """Where browser tests leave screenshots for people to look at."""
    path = os.path.join(os.path.dirname(__file__), "test-artifacts")
    os.makedirs(path, exist_ok=True)
    return path
