// Autosave for portfolio item forms (form[data-autosave]); the forms also work without it.
//
// One code path for online and offline: every keystroke keeps a draft in the offline store
// (offline-store.js, IndexedDB, per form key) with the version the form was loaded at. About
// a second after the last keystroke the draft is posted; the answer replaces the form's
// [data-save-state] (new version, "Bewaard om 14:32") and the draft is removed. Offline the
// draft waits ("Op je toestel bewaard, nog niet verstuurd") and is sent when the connection
// returns or the page opens again, oldest first. A 409 answer shows both texts; the student
// keeps theirs (resent on top of the saved version) or takes the saved one: never overwritten.
// Either way the choice is posted (conflict_choice) so the server keeps the losing text in the
// history.
"use strict";

(function () {
  var DELAY = 1000;
  var WAITING = "Op je toestel bewaard, nog niet verstuurd. We versturen zodra er verbinding is.";
  var KEEP_MINE = "mijn-tekst";
  var KEEP_SAVED = "bewaarde-versie";
  var store = window.OfflineStore;
  var states = new WeakMap();

  function state(form) {
    if (!states.has(form)) states.set(form, {
      timer: null, busy: null, again: false, conflict: false, choice: null, savedValues: null
    });
    return states.get(form);
  }

  function draftKey(form) { return store.key("portfolio:" + form.dataset.draftKey); }

  function fields(form) {
    return form.querySelectorAll("textarea[name], input[type=text][name], select[name]");
  }

  function values(form) {
    var result = {};
    fields(form).forEach(function (el) { result[el.name] = el.value; });
    return result;
  }

  function sameValues(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function versionInput(form) { return form.querySelector("[data-version]"); }

  function storeDraft(form) {
    return store.put({
      key: draftKey(form), values: values(form), version: versionInput(form).value,
      action: form.action, savedAt: Date.now()
    });
  }

  function setStatus(form, text, cls) {
    var el = form.querySelector(".save-status");
    if (!el) return;
    el.textContent = text;
    el.classList.remove("is-offline", "is-error");
    if (cls) el.classList.add(cls);
  }

  function schedule(form) {
    var st = state(form);
    storeDraft(form);
    if (st.conflict) return;
    setStatus(form, navigator.onLine ? "Nog niet bewaard…" : WAITING, navigator.onLine ? null : "is-offline");
    clearTimeout(st.timer);
    st.timer = setTimeout(function () { save(form); }, DELAY);
  }

  // Keep the draft, then post it; resolves when this save (and any queued after it) is done.
  function save(form) {
    var st = state(form);
    clearTimeout(st.timer);
    st.timer = null;
    if (st.conflict) return Promise.resolve();
    if (st.busy) { st.again = true; return st.busy; }
    st.busy = storeDraft(form).then(function () {
      if (!navigator.onLine) { setStatus(form, WAITING, "is-offline"); return; }
      return post(form);
    }).then(function () {
      st.busy = null;
      if (st.again) { st.again = false; return save(form); }
    });
    return st.busy;
  }

  function post(form) {
    var sent = values(form);
    var body = new FormData(form);
    var choice = state(form).choice;
    if (choice) body.append("conflict_choice", choice);
    return fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "HX-Request": "true" }
    }).then(function (response) {
      return response.text().then(function (text) { return { status: response.status, text: text }; });
    }).then(function (answer) {
      if (answer.status >= 200 && answer.status < 300) return saved(form, answer.text, sent);
      if (answer.status === 409) conflict(form, answer.text);
      else failed(form, answer.text);
    }, function () {
      setStatus(form, WAITING, "is-offline");
    });
  }

  function saved(form, html, sent) {
    var st = state(form);
    form.querySelector("[data-save-state]").innerHTML = html;
    form.dispatchEvent(new CustomEvent("autosave:saved", { bubbles: true }));  // hook for signing.js
    st.choice = null;
    if (st.savedValues) {
      // The server kept our text in the history and put the saved version back: show that one.
      fill(form, st.savedValues);
      st.savedValues = null;
      setStatus(form, "De bewaarde versie staat nu in het formulier; jouw tekst staat in de geschiedenis.");
      return store.remove(draftKey(form));
    }
    if (sameValues(values(form), sent)) return store.remove(draftKey(form));
    st.again = true;
  }

  function failed(form, html) {
    var messages = document.getElementById("meldingen");
    if (messages) messages.innerHTML = html;
    setStatus(form, "Niet verstuurd: controleer wat je invulde (zie de melding bovenaan). " +
      "Je tekst blijft op je toestel bewaard.", "is-error");
  }

  function conflictRegion(form) { return form.querySelector(".conflict-region"); }

  function conflict(form, html) {
    state(form).conflict = true;
    state(form).choice = null;
    state(form).savedValues = null;
    conflictRegion(form).innerHTML = html;
    setStatus(form, "Niet bewaard: kies hieronder welke tekst je houdt.", "is-error");
    var heading = conflictRegion(form).querySelector("h3");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
  }

  function savedVersion(region) {
    var el = region.querySelector("[data-saved-version]");
    return el ? el.getAttribute("data-saved-version") : null;
  }

  function keepMine(form) {
    var region = conflictRegion(form);
    versionInput(form).value = savedVersion(region);
    region.innerHTML = "";
    state(form).conflict = false;
    state(form).choice = KEEP_MINE;
    save(form);
  }

  function fill(form, given) {
    Object.keys(given).forEach(function (name) {
      var field = form.querySelector("[name='" + name + "']");
      if (field && field.type !== "hidden") field.value = given[name];
    });
  }

  function takeSaved(form) {
    var region = conflictRegion(form);
    var st = state(form);
    st.savedValues = {};
    region.querySelectorAll("[data-saved-field]").forEach(function (el) {
      st.savedValues[el.getAttribute("data-saved-field")] = el.textContent;
    });
    versionInput(form).value = savedVersion(region);
    region.innerHTML = "";
    st.conflict = false;
    // Our text is sent once more so the server keeps it in the history; saved() then fills in
    // the saved version.
    st.choice = KEEP_SAVED;
    save(form);
  }

  // Put a draft newer than the page's saved version back into the form; true when it did.
  function restoreDraft(form) {
    return store.get(draftKey(form)).then(function (draft) {
      if (!draft || !draft.values) return false;
      var status = form.querySelector(".save-status");
      var updatedAt = status ? Number(status.getAttribute("data-updated-at") || 0) : 0;
      if (draft.savedAt <= updatedAt || sameValues(draft.values, values(form))) {
        return store.remove(draftKey(form)).then(function () { return false; });
      }
      fields(form).forEach(function (el) {
        if (Object.prototype.hasOwnProperty.call(draft.values, el.name)) el.value = draft.values[el.name];
      });
      if (draft.version) versionInput(form).value = draft.version;
      setStatus(form, WAITING, "is-offline");
      return true;
    });
  }

  function init(form) {
    if (form.dataset.autosaveReady) return;
    form.dataset.autosaveReady = "1";
    form.addEventListener("input", function (event) {
      if (event.target.name) schedule(form);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      save(form);
    });
    form.addEventListener("click", function (event) {
      if (event.target.closest("[data-conflict-keep-mine]")) keepMine(form);
      else if (event.target.closest("[data-conflict-take-saved]")) takeSaved(form);
    });
  }

  function forms() { return Array.prototype.slice.call(document.querySelectorAll("form[data-autosave]")); }

  // Send the waiting drafts of this page's forms one after the other, oldest first.
  function flush() {
    var byKey = {};
    forms().forEach(function (form) { byKey[draftKey(form)] = form; });
    return store.list("portfolio:").then(function (drafts) {
      return drafts.reduce(function (chain, draft) {
        var form = byKey[draft.key];
        return form ? chain.then(function () { return save(form); }) : chain;
      }, Promise.resolve());
    });
  }

  // Lists of items (the stage days' reflections) say which ones still wait on this device.
  function markWaiting() {
    document.querySelectorAll("[data-waiting-draft]").forEach(function (el) {
      store.get(store.key("portfolio:" + el.getAttribute("data-waiting-draft"))).then(function (draft) {
        el.hidden = !draft;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    markWaiting();
    var list = forms();
    list.forEach(init);
    Promise.all(list.map(restoreDraft)).then(function () {
      if (navigator.onLine) flush();
    });
  });

  window.addEventListener("online", flush);

  window.addEventListener("offline", function () {
    forms().forEach(function (form) {
      store.get(draftKey(form)).then(function (draft) {
        if (draft) setStatus(form, WAITING, "is-offline");
      });
    });
  });

  // Leaving the page: send what is still waiting (the draft stays in case it does not arrive).
  window.addEventListener("pagehide", function () {
    forms().forEach(function (form) { if (state(form).timer) save(form); });
  });

  // Buttons that delete ask first (no inline handlers: the CSP forbids them).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
  });
})();
