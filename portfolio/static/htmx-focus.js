// htmx and the eye: a refusal appears next to the control it concerns, and after every swap
// keyboard focus lands somewhere sensible instead of falling back to <body>.
"use strict";

(function () {
  // The server marks a refusal by retargeting it to the page's message region (errors.py);
  // with this script the message goes beside the form or control that asked instead.
  let swapTarget = "";

  function isRefusal(xhr) {
    return xhr && xhr.status >= 400 && xhr.getResponseHeader("HX-Retarget") === "#meldingen";
  }

  function messageBoxFor(control) {
    const anchor = control.closest("form") || control;
    let box = anchor.nextElementSibling;
    if (!box || !box.hasAttribute("data-control-error")) {
      box = document.createElement("div");
      box.setAttribute("data-control-error", "");
      box.className = "control-error";
      box.tabIndex = -1;
      box.id = "fout-" + Math.random().toString(36).slice(2, 10);
      anchor.after(box);
    }
    return box;
  }

  function fieldsOf(control) {
    const form = control.closest("form") || (control.matches("form") ? control : null);
    if (!form) return control.matches("input, select, textarea") ? [control] : [];
    return Array.from(form.querySelectorAll("input, select, textarea")).filter(function (el) {
      return el.type !== "hidden" && !el.disabled;
    });
  }

  function clearRefusal(control) {
    const anchor = control.closest("form") || control;
    const box = anchor.nextElementSibling;
    if (box && box.hasAttribute("data-control-error")) box.remove();
    fieldsOf(control).forEach(function (el) {
      el.removeAttribute("aria-invalid");
    });
  }

  document.addEventListener("htmx:beforeSwap", function (evt) {
    const control = evt.detail.requestConfig && evt.detail.requestConfig.elt;
    if (!isRefusal(evt.detail.xhr) || !control || !control.isConnected) return;
    evt.detail.shouldSwap = false;
    const box = messageBoxFor(control);
    box.innerHTML = evt.detail.serverResponse;
    fieldsOf(control).forEach(function (el) {
      el.setAttribute("aria-invalid", "true");
      el.setAttribute("aria-describedby", box.id);
    });
    box.focus();
  });

  document.addEventListener("htmx:beforeRequest", function (evt) {
    const control = evt.detail.elt;
    if (control) clearRefusal(control);
    // Remember where the answer goes when the person is working there (a click or a submit,
    // not a lazy load): an outerHTML swap replaces the focused element.
    const target = evt.detail.target;
    const active = document.activeElement;
    const working = active && active !== document.body &&
      ((control && control.contains(active)) || (target && target.contains(active)));
    swapTarget = working && target && target.id ? target.id : "";
  });

  // After a swap: the field with an error, the notice in the new content, else its heading,
  // else the content itself.
  document.addEventListener("htmx:afterSettle", function () {
    const id = swapTarget;
    swapTarget = "";
    const active = document.activeElement;
    if (!id || (active && active !== document.body && active.isConnected)) return;
    const region = id ? document.getElementById(id) : null;
    if (!region) return;
    const spot =
      region.querySelector("[aria-invalid=true], [data-focus-after-swap], .alert, [role=alert], [role=status]:not(:empty)") ||
      region.querySelector("h1, h2, h3, h4") ||
      region;
    if (!spot.matches("a, button, input, select, textarea, [tabindex]")) spot.tabIndex = -1;
    spot.focus();
  });
})();
