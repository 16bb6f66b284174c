// The service worker (served as /sw.js by portfolio/routes/offline.py, scope "/").
//
// - GET /static/... : network first; the copy is kept and used when the network is gone.
//   No file names are listed here: the pages say what they use (see pwa.js).
// - Page navigations: always the network; without a network the kept copy of that page, or
//   the offline page ("Geen verbinding", status 503).
// - Kept pages: only those /offline/bewaren lists (today's reflection, the last stage days,
//   the next day's designs, home), in one cache per user ("pages-<id>"), the user named by
//   the server in X-Offline-User. Another user's arrival or a sign-out deletes them.
// - Never a POST, never a page outside that list (password links are never in it).
"use strict";

var STATIC = "static-v1";
var OFFLINE_URL = "/offline";
var PAGES = "pages-";
var MAX_STATIC = 80;
var SYNC_EVERY_MS = 15 * 60 * 1000;
var lastSync = {};

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC).then(function (cache) { return cache.add(OFFLINE_URL); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

function pageCaches() {
  return caches.keys().then(function (names) {
    return names.filter(function (name) { return name.indexOf(PAGES) === 0; });
  });
}

function forgetPages(exceptName) {
  return pageCaches().then(function (names) {
    return Promise.all(names.filter(function (n) { return n !== exceptName; })
      .map(function (n) { return caches.delete(n); }));
  });
}

function keepStatic(request, response) {
  return caches.open(STATIC).then(function (cache) {
    return cache.put(request, response).then(function () { return cache.keys(); })
      .then(function (keys) {
        // Hashed file names pile up across releases: drop the oldest beyond the limit.
        return Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_STATIC))
          .map(function (k) { return cache.delete(k); }));
      });
  });
}

function fromNetworkOrStatic(request) {
  return fetch(request).then(function (response) {
    if (response.ok && response.type === "basic") keepStatic(request, response.clone());
    return response;
  }, function () {
    return caches.match(request, { cacheName: STATIC }).then(function (hit) {
      return hit || Response.error();
    });
  });
}

function offlinePage() {
  return caches.match(OFFLINE_URL, { cacheName: STATIC }).then(function (hit) {
    if (!hit) return Response.error();
    return hit.text().then(function (body) {
      return new Response(body, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
    });
  });
}

// A kept page is refreshed whenever it is opened online, so the copy is the latest.
function refreshKept(request, response) {
  var user = response.headers.get("X-Offline-User");
  if (!user || !response.ok || response.redirected) return;
  var copy = response.clone();
  caches.open(PAGES + user).then(function (cache) {
    return cache.match(request.url).then(function (hit) { if (hit) return cache.put(request.url, copy); });
  });
}

function navigate(request) {
  return fetch(request).then(function (response) {
    refreshKept(request, response);
    return response;
  }, function () {
    return pageCaches().then(function (names) {
      if (!names.length) return offlinePage();
      return caches.open(names[0]).then(function (cache) { return cache.match(request.url); })
        .then(function (hit) { return hit || offlinePage(); });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") event.respondWith(navigate(request));
  else if (url.pathname.indexOf("/static/") === 0) event.respondWith(fromNetworkOrStatic(request));
});

// Bumped by every sign-out: a sync that was still under way then must not keep its pages.
var signOuts = 0;

// Fetch and keep the pages on the server's list, in the cache of the user it names.
function syncPages() {
  var started = signOuts;
  function stillSignedIn() { return signOuts === started; }
  return fetch("/offline/bewaren", { credentials: "same-origin" }).then(function (response) {
    var user = response.headers.get("X-Offline-User");
    if (!response.ok || !user) return;
    if (lastSync[user] && Date.now() - lastSync[user] < SYNC_EVERY_MS) return;
    return response.json().then(function (data) {
      var name = PAGES + user;
      return forgetPages(name).then(function () { return caches.open(name); }).then(function (cache) {
        return Promise.all(data.urls.map(function (u) {
          return fetch(u, { credentials: "same-origin" }).then(function (page) {
            if (stillSignedIn() && page.ok && !page.redirected &&
                page.headers.get("X-Offline-User") === user) {
              return cache.put(u, page);
            }
          });
        }));
      }).then(function () {
        if (!stillSignedIn()) return caches.delete(name);
        lastSync[user] = Date.now();
      });
    });
  }).catch(function () { /* offline: keep what we have */ });
}

function keepStaticUrls(urls) {
  return Promise.all((urls || []).map(function (u) {
    var url = new URL(u, self.location.origin);
    if (url.origin !== self.location.origin || url.pathname.indexOf("/static/") !== 0) return null;
    return caches.match(url.href, { cacheName: STATIC }).then(function (hit) {
      if (hit) return null;
      return fetch(url.href).then(function (r) { if (r.ok) return keepStatic(url.href, r); });
    }).catch(function () { return null; });
  }));
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var work = null;
  if (data.type === "sync") work = Promise.all([keepStaticUrls(data.statics), syncPages()]);
  else if (data.type === "signed-out") { signOuts += 1; lastSync = {}; work = forgetPages(null); }
  if (!work) return;
  event.waitUntil(work.then(function () {
    if (event.source) event.source.postMessage({ type: data.type + "-done" });
  }));
});
