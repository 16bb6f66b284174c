// The installable app: registers the service worker (/sw.js) and tells it what to keep.
// Signed in: keep this page's static files and the pages the server lists for offline use.
// Signed out (this page has no user): delete every kept page at once, so the next person on
// this phone finds nothing of the last one.
"use strict";

(function () {
  if (!("serviceWorker" in navigator)) return;

  function staticUrls() {
    var urls = [];
    document.querySelectorAll("script[src], link[rel=stylesheet][href], link[rel=icon][href]")
      .forEach(function (el) { urls.push(el.src || el.href); });
    return urls;
  }

  function forgetKeptPages() {
    if (!window.caches) return Promise.resolve();
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf("pages-") === 0; })
        .map(function (n) { return caches.delete(n); }));
    });
  }

  navigator.serviceWorker.addEventListener("message", function (event) {
    // Tests and the page can tell the phone is ready for a trip without network.
    if (event.data && event.data.type === "sync-done") document.documentElement.dataset.offlineReady = "1";
  });

  window.addEventListener("load", function () {
    var signedIn = Boolean(document.body.dataset.user);
    var cleared = signedIn ? Promise.resolve() : forgetKeptPages();
    cleared.then(function () {
      return navigator.serviceWorker.register("/sw.js", { scope: "/" });
    }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (!registration.active) return;
      if (signedIn && navigator.onLine) registration.active.postMessage({ type: "sync", statics: staticUrls() });
      else if (!signedIn) registration.active.postMessage({ type: "signed-out" });
    }).catch(function () { /* no service worker: the site works as before, online only */ });
  });
})();
