// Recording inside the page ([data-recorder], files/partials/_recorder.html): MediaRecorder
// audio or video, listen back, keep or discard. A kept recording goes into the offline store
// first (IndexedDB, offline-store.js) with a key of its own, then is uploaded through the
// item's upload route with a progress bar. Offline, or when the upload breaks off, it waits
// on the phone and is sent when the connection returns (from any page), oldest first; the
// key makes a retried upload find the first one on the server instead of storing it twice.
"use strict";

(function () {
  var store = window.OfflineStore;
  var PREFIX = "recording:";
  var WAITING = "Opname op je toestel bewaard, nog niet verstuurd. We versturen zodra er verbinding is.";
  var flushing = null;

  function $(root, selector) { return root.querySelector(selector); }

  function status(box, text) { if (box) $(box, "[data-recorder-status]").textContent = text; }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2) + "-opname";
  }

  function fileName(kind, mime) {
    var stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
    var extension = mime.indexOf("mp4") >= 0 ? "mp4" : (mime.indexOf("ogg") >= 0 ? "ogg" : "webm");
    return (kind === "video" ? "video-" : "opname-") + stamp + "." + extension;
  }

  function chooseMime(kind) {
    var options = kind === "video"
      ? ["video/webm;codecs=vp8,opus", "video/webm", "video/mp4"]
      : ["audio/webm;codecs=opus", "audio/webm", "audio/ogg;codecs=opus", "audio/mp4"];
    for (var i = 0; i < options.length; i++) {
      if (window.MediaRecorder.isTypeSupported(options[i])) return options[i];
    }
    return "";
  }

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; }
    catch (e) { return ""; }
  }

  // ------------------------------------------------------------ recording and review

  var states = new WeakMap();

  function start(box, kind) {
    var constraints = kind === "video" ? { audio: true, video: true } : { audio: true };
    navigator.mediaDevices.getUserMedia(constraints).then(function (stream) {
      var mime = chooseMime(kind);
      var recorder = new MediaRecorder(stream, mime ? { mimeType: mime } : undefined);
      var chunks = [];
      recorder.ondataavailable = function (e) { if (e.data && e.data.size) chunks.push(e.data); };
      recorder.onstop = function () {
        stream.getTracks().forEach(function (t) { t.stop(); });
        var type = recorder.mimeType || mime || (kind === "video" ? "video/webm" : "audio/webm");
        review(box, kind, new Blob(chunks, { type: type }));
      };
      states.set(box, { recorder: recorder });
      recorder.start(1000);
      recording(box, true);
      status(box, kind === "video" ? "Video-opname loopt…" : "Audio-opname loopt…");
    }, function () {
      status(box, "Opnemen lukt niet: geef de browser toestemming voor je microfoon" +
        (kind === "video" ? " en camera." : "."));
    });
  }

  function recording(box, on) {
    box.querySelectorAll("[data-record]").forEach(function (b) { b.hidden = on; });
    var stop = $(box, "[data-record-stop]");
    stop.hidden = !on;
    if (on) stop.focus();
  }

  function review(box, kind, blob) {
    var state = states.get(box) || {};
    state.kind = kind;
    state.blob = blob;
    state.url = URL.createObjectURL(blob);
    states.set(box, state);
    recording(box, false);
    var player = $(box, kind === "video" ? "[data-recorder-video]" : "[data-recorder-audio]");
    var other = $(box, kind === "video" ? "[data-recorder-audio]" : "[data-recorder-video]");
    player.src = state.url;
    player.hidden = false;
    other.hidden = true;
    $(box, "[data-recorder-review]").hidden = false;
    status(box, "Opname klaar. Beluister ze en kies: houden of weggooien.");
    $(box, "[data-recorder-keep]").focus();
  }

  function closeReview(box) {
    var state = states.get(box) || {};
    if (state.url) URL.revokeObjectURL(state.url);
    states.delete(box);
    $(box, "[data-recorder-review]").hidden = true;
    box.querySelectorAll("audio, video").forEach(function (m) { m.removeAttribute("src"); });
  }

  function keep(box) {
    var state = states.get(box);
    if (!state || !state.blob) return;
    var clientKey = newKey();
    var entry = {
      key: store.key(PREFIX + clientKey), clientKey: clientKey, blob: state.blob,
      name: fileName(state.kind, state.blob.type), action: box.dataset.uploadUrl,
      accept: box.dataset.accept, widget: box.dataset.widget, savedAt: Date.now()
    };
    closeReview(box);
    status(box, WAITING);
    store.put(entry).then(flush);
  }

  // ------------------------------------------------------------ the upload queue

  function progress(box, percent) {
    if (!box) return;
    var wrap = $(box, "[data-recorder-progress]");
    wrap.hidden = percent === null;
    if (percent === null) return;
    $(wrap, "progress").value = percent;
    $(wrap, "[data-recorder-progress-label]").textContent = "Opname uploaden: " + percent + "%";
  }

  function send(entry, box) {
    return new Promise(function (resolve, reject) {
      var data = new FormData();
      data.append("bestand", entry.blob, entry.name);
      data.append("accept", entry.accept || "");
      data.append("client_key", entry.clientKey);
      data.append("csrf_token", csrfToken());
      var xhr = new XMLHttpRequest();
      xhr.open("POST", entry.action);
      xhr.setRequestHeader("HX-Request", "true");
      xhr.setRequestHeader("X-CSRFToken", csrfToken());
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable && e.total) progress(box, Math.min(100, Math.round(e.loaded / e.total * 100)));
      };
      xhr.onload = function () { resolve({ status: xhr.status, html: xhr.responseText }); };
      xhr.onerror = xhr.onabort = xhr.ontimeout = function () { reject(new Error("network")); };
      progress(box, 0);
      xhr.send(data);
    });
  }

  // The server answers with the item's fresh upload widget (the new file, or why not).
  function showWidget(entry, html) {
    var old = document.getElementById(entry.widget);
    if (!old || !html) return;
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.querySelector(".upload-widget");
    if (!fresh) return;
    old.replaceWith(fresh);
    if (window.htmx) window.htmx.process(fresh);
    init(fresh);
  }

  function sendOne(entry) {
    var widget = document.getElementById(entry.widget);
    var box = widget && $(widget, "[data-recorder]");
    return send(entry, box).then(function (answer) {
      progress(box, null);
      var later = [400, 401, 403, 429].indexOf(answer.status) >= 0 || answer.status >= 500;
      if (later) {
        // Signed out, an old form, or the server's storage is down: keep it on the phone.
        status(box, WAITING + " Laad de pagina opnieuw als je net opnieuw aanmeldde.");
        throw new Error("not now");
      }
      // Stored, or refused for good (type or size, shown in the widget): off the phone.
      return store.remove(entry.key).then(function () { showWidget(entry, answer.html); });
    }, function () {
      progress(box, null);
      status(box, WAITING);
      throw new Error("offline");
    });
  }

  function flush() {
    if (flushing || !navigator.onLine) return flushing;
    flushing = store.list(PREFIX).then(function (entries) {
      return entries.reduce(function (chain, entry) {
        return chain.then(function () { return sendOne(entry); });
      }, Promise.resolve());
    }).catch(function () { /* stopped at the first that could not go; the rest waits */ })
      .then(function () { flushing = null; });
    return flushing;
  }

  function showWaiting() {
    store.list(PREFIX).then(function (entries) {
      entries.forEach(function (entry) {
        var widget = document.getElementById(entry.widget);
        if (widget) status($(widget, "[data-recorder]"), WAITING);
      });
    });
  }

  function init(root) {
    if (!window.MediaRecorder || !navigator.mediaDevices) return;
    root.querySelectorAll("[data-recorder]").forEach(function (box) { box.hidden = false; });
  }

  document.addEventListener("click", function (event) {
    var box = event.target.closest && event.target.closest("[data-recorder]");
    if (!box) return;
    var start_ = event.target.closest("[data-record]");
    if (start_) start(box, start_.getAttribute("data-record"));
    else if (event.target.closest("[data-record-stop]")) {
      var state = states.get(box);
      if (state && state.recorder && state.recorder.state !== "inactive") state.recorder.stop();
    } else if (event.target.closest("[data-recorder-keep]")) keep(box);
    else if (event.target.closest("[data-recorder-discard]")) {
      closeReview(box);
      status(box, "Opname weggegooid.");
      $(box, "[data-record]").focus();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
    showWaiting();
    flush();
  });
  document.addEventListener("htmx:load", function (event) { init(event.detail.elt); });
  window.addEventListener("online", flush);
})();
