// Autosave for portfolio item forms (form[data-autosave]); the forms also work without it.
//
// About a second after the last keystroke the form is posted with the version it was loaded
// at. The answer replaces the form's [data-save-state] (new version, "Bewaard om 14:32").
// Every keystroke also keeps a draft in localStorage (per form key), so nothing is lost
// offline or on a crash; the draft is resent when the connection returns or the page loads
// again, and cleared after a successful save. A 409 answer shows both texts; the student
// keeps theirs (resent on top of the saved version) or takes the saved one. Either way the
// choice is posted (conflict_choice) so the server keeps the losing text in the history.
"use strict";

(function () {
  var DELAY = 1000;
  var OFFLINE = "Niet bewaard: je bent offline; we bewaren zodra de verbinding terug is.";
  var KEEP_MINE = "mijn-tekst";
  var KEEP_SAVED = "bewaarde-versie";
  var states = new WeakMap();

  function state(form) {
    if (!states.has(form)) states.set(form, {
      timer: null, busy: false, again: false, conflict: false, choice: null, savedValues: null
    });
    return states.get(form);
  }

  function draftKey(form) { return "draft:" + form.dataset.draftKey; }

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

  function readDraft(form) {
    try { return JSON.parse(window.localStorage.getItem(draftKey(form)) || "null"); } catch (e) { return null; }
  }

  function storeDraft(form) {
    var draft = { values: values(form), version: versionInput(form).value, savedAt: Date.now() };
    try { window.localStorage.setItem(draftKey(form), JSON.stringify(draft)); } catch (e) { /* full or off */ }
  }

  function clearDraft(form) {
    try { window.localStorage.removeItem(draftKey(form)); } catch (e) { /* ignore */ }
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
    setStatus(form, "Nog niet bewaard…");
    clearTimeout(st.timer);
    st.timer = setTimeout(function () { save(form); }, DELAY);
  }

  function save(form) {
    var st = state(form);
    clearTimeout(st.timer);
    st.timer = null;
    if (st.conflict) return;
    if (st.busy) { st.again = true; return; }
    storeDraft(form);
    if (!navigator.onLine) { setStatus(form, OFFLINE, "is-offline"); return; }
    st.busy = true;
    var sent = values(form);
    var body = new FormData(form);
    if (st.choice) body.append("conflict_choice", st.choice);
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "HX-Request": "true" }
    }).then(function (response) {
      return response.text().then(function (text) { return { status: response.status, text: text }; });
    }).then(function (answer) {
      if (answer.status >= 200 && answer.status < 300) saved(form, answer.text, sent);
      else if (answer.status === 409) conflict(form, answer.text);
      else failed(form, answer.text);
    }).catch(function () {
      setStatus(form, OFFLINE, "is-offline");
    }).then(function () {
      st.busy = false;
      if (st.again) { st.again = false; save(form); }
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
      clearDraft(form);
      setStatus(form, "De bewaarde versie staat nu in het formulier; jouw tekst staat in de geschiedenis.");
      return;
    }
    if (sameValues(values(form), sent)) clearDraft(form);
    else state(form).again = true;
  }

  function failed(form, html) {
    var messages = document.getElementById("meldingen");
    if (messages) messages.innerHTML = html;
    setStatus(form, "Niet bewaard: controleer wat je invulde (zie de melding bovenaan).", "is-error");
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

  function restoreDraft(form) {
    var draft = readDraft(form);
    if (!draft || !draft.values) return;
    var status = form.querySelector(".save-status");
    var updatedAt = status ? Number(status.getAttribute("data-updated-at") || 0) : 0;
    if (draft.savedAt <= updatedAt || sameValues(draft.values, values(form))) {
      clearDraft(form);
      return;
    }
    fields(form).forEach(function (el) {
      if (Object.prototype.hasOwnProperty.call(draft.values, el.name)) el.value = draft.values[el.name];
    });
    if (draft.version) versionInput(form).value = draft.version;
    save(form);
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
    restoreDraft(form);
  }

  function forms() { return document.querySelectorAll("form[data-autosave]"); }

  document.addEventListener("DOMContentLoaded", function () {
    forms().forEach(init);
  });

  window.addEventListener("online", function () {
    forms().forEach(function (form) {
      if (readDraft(form)) save(form);
    });
  });

  window.addEventListener("offline", function () {
    forms().forEach(function (form) {
      if (readDraft(form)) setStatus(form, OFFLINE, "is-offline");
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
