"""The capture app for auxiliaries: an installable, offline-first web app at /app/.

Three responses make it installable and offline-capable: the app shell (one page, the same for
everybody: the auxiliary authenticates against the API with a token, never with a Django session,
so the page can be served from the service worker's cache), the web app manifest and the service
worker. The service worker is served from /app/ rather than /static/ because a worker only controls
pages under its own path. All the logic runs in the phone, in the plain JavaScript modules of
static/app/ (no framework, no build step).
"""

import hashlib
import json

from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

THEME_COLOUR = "#6b1d33"
BACKGROUND_COLOUR = "#f6f7f9"
ICONS = [("app/icons/icon-192.png", 192), ("app/icons/icon-512.png", 512)]

# Every static file the app needs to start offline; the service worker caches them all on install.
STATIC_ASSETS = [
    "app/app.css",
    "app/app.js",
    "app/api.js",
    "app/capture.js",
    "app/db.js",
    "app/form.js",
    "app/home.js",
    "app/pending.js",
    "app/rules.js",
    "app/signature.js",
    "app/sync.js",
    "app/ui.js",
    *(path for path, _ in ICONS),
]


def shell_html(request):
    """The app shell. It holds no per-user data and no CSRF token, so it can be cached."""
    context = {
        "manifest_url": reverse("capture_app:manifest"),
        "sw_url": reverse("capture_app:sw"),
        "scope": reverse("capture_app:shell"),
    }
    return render_to_string("capture_app/shell.html", context, request=request)


@require_safe
def shell(request):
    response = HttpResponse(shell_html(request))
    # The service worker fetches a fresh copy on each new version; browsers should revalidate.
    response["Cache-Control"] = "no-cache"
    return response


def manifest_data():
    scope = reverse("capture_app:shell")
    icons = [
        {"src": static(path), "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any"}
        for path, size in ICONS
    ]
    # The icon keeps its drawing inside the central safe zone, so it also serves as maskable.
    icons.append(
        {
            "src": static(ICONS[-1][0]),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        }
    )
    return {
        "name": "Apoyo Captura",
        "short_name": "Apoyo",
        "description": "Captura de apoyos ciudadanos para candidaturas independientes, con o sin red.",
        "lang": "es-MX",
        "dir": "ltr",
        "id": scope,
        "start_url": scope,
        "scope": scope,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": BACKGROUND_COLOUR,
        "theme_color": THEME_COLOUR,
        "icons": icons,
    }


@require_safe
def manifest(request):
    response = JsonResponse(
        manifest_data(),
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "no-cache"
    return response


def asset_version(request, assets):
    """A digest of everything the worker caches: any change to the shell, the manifest or a static
    file changes sw.js, so the browser installs the new worker and it refills a new cache."""
    digest = hashlib.sha256()
    digest.update(shell_html(request).encode())
    digest.update(json.dumps(manifest_data(), sort_keys=True).encode())
    for path in assets:
        found = finders.find(path)
        digest.update(path.encode())
        if found:
            with open(found, "rb") as file:
                digest.update(file.read())
    return digest.hexdigest()[:16]


@require_safe
def service_worker(request):
    scope = reverse("capture_app:shell")
    urls = [scope, reverse("capture_app:manifest"), *(static(path) for path in STATIC_ASSETS)]
    context = {
        "version": asset_version(request, STATIC_ASSETS),
        "shell_url": scope,
        "scope": scope,
        # The API sits beside /app/ (at /api/v1/ under the same script prefix): never cached.
        "api_prefix": scope.removesuffix("app/") + "api/",
        "assets_json": json.dumps(urls),
    }
    response = HttpResponse(
        render_to_string("capture_app/sw.js", context),
        content_type="text/javascript; charset=utf-8",
    )
    # Browsers check for a new worker on every visit; never let a cache answer that check.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = scope
    return response
