// Local drafts for every long text field that has no autosave (feedback, evaluation reasons,
// warnings, guidance forms, replies...). What is typed in a form's textareas is kept in the
// offline store (offline-store.js) and put back when the form opens again: after a reload,
// after "Formulier verlopen", after a lost connection. A draft is removed only once the server
// accepted the form: an htmx form's successful answer, or a full post whose success the server
// names on the next page (body[data-drafts-sent], see portfolio/routes/offline.py).
"use strict";

(function () {
  var store = window.OfflineStore;
  var PREFIX = "form:";
  var ACCEPTED = "draft-accepted:";
  // How long after pressing "send" an error page may still speak of the text it kept.
  var RECENT_MS = 10 * 60 * 1000;

  function draftForms(root) {
    var found = [];
    (root || document).querySelectorAll("form").forEach(function (form) {
      if (form.hasAttribute("data-autosave") || form.hasAttribute("data-no-draft")) return;
      if ((form.getAttribute("method") || "get").toLowerCase() !== "post" && !form.hasAttribute("hx-post")) return;
      if (form.querySelector("textarea[name]")) found.push(form);
    });
    return found;
  }

  // Page, action and its text fields identify a form; a page may hold several (replies).
  function formName(form) {
    var action = form.getAttribute("hx-post") || form.getAttribute("action") || "";
    var names = Array.prototype.map.call(form.querySelectorAll("textarea[name]"), function (el) {
      return el.id || el.name;
    });
    return PREFIX + location.pathname + "|" + action + "|" + names.join(",");
  }

  function texts(form) {
    var result = {};
    form.querySelectorAll("textarea[name]").forEach(function (el) { result[el.id || el.name] = el.value; });
    return result;
  }

  function keep(form, extra) {
    var draft = { key: store.key(formName(form)), values: texts(form), savedAt: Date.now() };
    Object.keys(extra || {}).forEach(function (k) { draft[k] = extra[k]; });
    return store.put(draft);
  }

  function notice(form, text) {
    var note = form.querySelector("[data-draft-notice]");
    if (!note) {
      note = document.createElement("p");
      note.className = "hint draft-notice";
      note.setAttribute("role", "status");
      note.setAttribute("data-draft-notice", "");
      form.insertBefore(note, form.firstChild);
    }
    note.textContent = text;
  }

  function restore(form) {
    var key = store.key(formName(form));
    return store.get(key).then(function (draft) {
      if (!draft || !draft.values) return;
      if (draft.savedAt <= acceptedAt(key)) return store.remove(key);  // a late write of a sent form
      var changed = false;
      form.querySelectorAll("textarea[name]").forEach(function (el) {
        var value = draft.values[el.id || el.name];
        // Never over what was typed since the page opened (the store answers asynchronously).
        if (el.value !== el.defaultValue) return;
        if (typeof value === "string" && value !== el.value) { el.value = value; changed = true; }
      });
      if (changed) notice(form, "Hersteld: tekst die je op dit toestel typte maar nog niet verstuurde.");
    });
  }

  function setMarker(form, name, value) {
    var marker = form.querySelector("input[type=hidden][name='" + name + "']");
    if (!marker) {
      marker = document.createElement("input");
      marker.type = "hidden";
      marker.name = name;
      form.appendChild(marker);
    }
    marker.value = value;
  }

  function watch(form) {
    if (form.dataset.draftReady) return;
    form.dataset.draftReady = "1";
    var timer = null;
    form.addEventListener("input", function (event) {
      if (event.target.tagName !== "TEXTAREA") return;
      clearTimeout(timer);
      timer = setTimeout(function () { keep(form); }, 300);
    });
    form.addEventListener("submit", function (event) {
      clearTimeout(timer);
      if (event.defaultPrevented) return;
      // The key and the moment travel along; the server names both once it accepted the form.
      var moment = Date.now();
      setMarker(form, "draft_key", store.key(formName(form)) + "@" + moment);
      keep(form, { submittedAt: moment, savedAt: moment });
    });
    restore(form);
  }

  // When the server last accepted this form; kept in localStorage (written at once, unlike
  // IndexedDB) so a draft write still under way as the form left is recognised as sent.
  function acceptedAt(key) {
    try { return Number(window.localStorage.getItem(ACCEPTED + key) || 0); } catch (e) { return 0; }
  }

  // Drafts of forms the server accepted on the previous request ("key@moment").
  function forgetSent() {
    var sent = (document.body.dataset.draftsSent || "").split(" ").filter(Boolean);
    return Promise.all(sent.map(function (entry) {
      var at = entry.lastIndexOf("@");
      var key = entry.slice(0, at);
      try { window.localStorage.setItem(ACCEPTED + key, entry.slice(at + 1)); } catch (e) { /* full */ }
      return store.remove(key);
    }));
  }

  // On the "Formulier verlopen" page: say the text is kept only when it really is.
  function confirmKept() {
    var line = document.querySelector("[data-drafts-kept]");
    if (!line) return;
    store.list(PREFIX).then(function (drafts) {
      var recent = drafts.some(function (d) { return d.submittedAt && Date.now() - d.submittedAt < RECENT_MS; });
      line.hidden = !recent;
    });
  }

  var ready = null;

  document.addEventListener("DOMContentLoaded", function () {
    ready = forgetSent().then(function () {
      draftForms().forEach(watch);
      confirmKept();
    });
  });

  // Forms swapped in by htmx get drafts too; a successful htmx post clears its form's draft.
  document.addEventListener("htmx:load", function (event) {
    if (!ready) return;  // the first load is handled on DOMContentLoaded
    ready.then(function () { draftForms(event.detail.elt.parentNode || document).forEach(watch); });
  });
  document.addEventListener("htmx:afterSwap", confirmKept);
  document.addEventListener("htmx:afterRequest", function (event) {
    // The key was fixed on submit: the form may already be swapped out of the page.
    var marker = event.detail.elt && event.detail.elt.querySelector &&
      event.detail.elt.querySelector("input[name=draft_key]");
    if (marker && marker.value && event.detail.successful) {
      store.remove(marker.value.slice(0, marker.value.lastIndexOf("@")));
    }
  });
})();
