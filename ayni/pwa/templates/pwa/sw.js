{% autoescape off %}// AYNI's service worker (docs/security.md, "Aplicación instalable").
// Pages always come from the network: none is ever stored, since they name the person.
// Stored are the static files and the offline page (the same for everybody), and a signed-in
// servant's last boleta PDFs, in a cache of their own that "Cerrar sesión" and the sign-in of
// somebody else empty.
"use strict";

const STATIC_CACHE = "ayni-estaticos-{{ version }}";
const STATE_CACHE = "ayni-estado";
const STATE_KEY = "/__ayni/usuario";
const BOLETAS_PREFIX = "ayni-boletas-";
const KEEP = {{ keep }};
const PRECACHE = {{ precache }};
const OFFLINE_URL = {{ offline_url }};
const STATIC_PREFIX = {{ static_prefix }};
const LOGOUT_URL = {{ logout_url }};
const OWN_PDF = new RegExp({{ own_pdf }});
const CACHE_HEADER = {{ cache_header }};
const TAG = /^[0-9a-f]{32}$/;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(STATIC_CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { credentials: "omit" }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names
        .filter((name) => name.startsWith("ayni-estaticos-") && name !== STATIC_CACHE)
        .map((name) => caches.delete(name))))
      .then(() => self.clients.claim())
  );
});

// --- whose boletas ------------------------------------------------------------------------
async function currentUser() {
  const saved = await (await caches.open(STATE_CACHE)).match(STATE_KEY);
  return saved ? saved.text() : "";
}

async function forgetBoletas(except) {
  const names = await caches.keys();
  await Promise.all(names
    .filter((name) => name.startsWith(BOLETAS_PREFIX) && name !== BOLETAS_PREFIX + except)
    .map((name) => caches.delete(name)));
}

async function forgetPush() {
  const subscription = await self.registration.pushManager.getSubscription();
  if (subscription) {
    await subscription.unsubscribe();
  }
}

// Somebody signed in (every page says who, as an opaque tag): another person's boletas and
// notices leave this device.
async function signedIn(tag) {
  const previous = await currentUser();
  if (previous === tag) {
    return;
  }
  await forgetBoletas(tag);
  if (previous) {
    await forgetPush();
  }
  await (await caches.open(STATE_CACHE)).put(STATE_KEY, new Response(tag));
}

async function signedOut() {
  await forgetBoletas(null);
  await caches.delete(STATE_CACHE);
  await forgetPush();
}

self.addEventListener("message", (event) => {
  const tag = event.data && event.data.usuario;
  if (typeof tag === "string" && TAG.test(tag)) {
    event.waitUntil(signedIn(tag));
  }
});

// --- requests -----------------------------------------------------------------------------
async function offlinePage() {
  return (await caches.match(OFFLINE_URL)) || Response.error();
}

async function keepBoleta(path, answer, tag) {
  await signedIn(tag);
  const cache = await caches.open(BOLETAS_PREFIX + tag);
  await cache.delete(path, { ignoreVary: true }); // opened again: it becomes the newest
  await cache.put(path, answer);
  const kept = await cache.keys(); // oldest first
  await Promise.all(kept.slice(0, Math.max(0, kept.length - KEEP)).map((old) => cache.delete(old)));
}

async function savedBoleta(url) {
  const tag = await currentUser();
  if (!tag || !(await caches.has(BOLETAS_PREFIX + tag))) {
    return null;
  }
  const cache = await caches.open(BOLETAS_PREFIX + tag);
  const saved = await cache.match(url.pathname, { ignoreVary: true });
  if (!saved) {
    return null;
  }
  // Shown in the page or downloaded, as asked this time.
  const headers = new Headers(saved.headers);
  const disposition = url.searchParams.has("descargar") ? "attachment" : "inline";
  headers.set("Content-Disposition",
    (saved.headers.get("Content-Disposition") || "").replace(/^\w+/, disposition));
  return new Response(saved.body, { status: 200, headers: headers });
}

async function ownBoleta(event, url) {
  try {
    const answer = await fetch(event.request);
    const tag = answer.headers.get(CACHE_HEADER);
    // Only what the platform sent this servant: a refusal or the sign-in page is not kept.
    if (answer.status === 200 && tag && TAG.test(tag)) {
      event.waitUntil(keepBoleta(url.pathname, answer.clone(), tag));
    }
    return answer;
  } catch (error) {
    return (await savedBoleta(url)) || (event.request.mode === "navigate" ? offlinePage() : Response.error());
  }
}

async function staticFile(request) {
  const cache = await caches.open(STATIC_CACHE);
  const saved = await cache.match(request);
  if (saved) {
    return saved;
  }
  const answer = await fetch(request);
  if (answer.ok) {
    await cache.put(request, answer.clone());
  }
  return answer;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.method === "POST" && url.pathname === LOGOUT_URL) {
    event.respondWith(signedOut().catch(() => null).then(() => fetch(request)));
  } else if (request.method !== "GET") {
    return;
  } else if (OWN_PDF.test(url.pathname)) {
    event.respondWith(ownBoleta(event, url));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(offlinePage));
  } else if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(staticFile(request));
  }
});

// --- notices (Web Push) ---------------------------------------------------------------------
self.addEventListener("push", (event) => {
  let notice = {};
  try {
    notice = event.data ? event.data.json() : {};
  } catch (error) {
    return;
  }
  event.waitUntil(self.registration.showNotification(notice.title || "AYNI", {
    body: notice.body || "",
    icon: PRECACHE.find((url) => url.includes("icono-192")),
    lang: "es-PE",
    data: { url: notice.url || "/" },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(event.notification.data.url, self.location.origin);
  if (target.origin === self.location.origin) {
    event.waitUntil(self.clients.openWindow(target.href));
  }
});
{% endautoescape %}
