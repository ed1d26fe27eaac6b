// Apoyo Captura service worker. The shell, its modules, styles and icons come from a cache named
// after a digest of their contents, so the app starts with no network; the API is never cached.
// A new digest (any file changed) makes a new sw.js: the browser installs it, it fills a new cache
// and drops the old one.
"use strict";

const VERSION = "{{ version }}";
const CACHE = "apoyo-app-" + VERSION;
const SHELL = "{{ shell_url }}";
const SCOPE = "{{ scope }}";
const API = "{{ api_prefix }}";
const ASSETS = {{ assets_json|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // "reload" skips the HTTP cache: the worker must store the files of this very version.
      await cache.addAll(ASSETS.map((url) => new Request(url, { cache: "reload" })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("apoyo-app-") && name !== CACHE) await caches.delete(name);
      }
      // Control the page that registered us at once, so it works offline without a reload.
      await self.clients.claim();
    })(),
  );
});

async function fromCache(request, fallbackUrl) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(fallbackUrl || request, { ignoreSearch: true });
  return hit || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  // Network only: other origins and the API (captures and sessions must never come from a cache).
  if (url.origin !== self.location.origin || url.pathname.startsWith(API)) return;
  if (request.mode === "navigate" && url.pathname === SCOPE) {
    // The one page of the app, whatever its query string.
    event.respondWith(fromCache(request, SHELL));
  } else if (ASSETS.includes(url.pathname)) {
    event.respondWith(fromCache(request));
  }
});
