// Upload widget: a size check before sending and a progress bar while sending.
// The upload form works without this file (a plain POST); htmx sends it when loaded.
"use strict";

(function () {
  function uploadForm(el) {
    return el && el.closest ? el.closest("form[data-upload-form]") : null;
  }

  function showError(form, message) {
    const box = form.querySelector("[data-upload-error]");
    const input = form.querySelector("input[type=file]");
    if (box) {
      box.textContent = message;
      box.hidden = false;
      box.setAttribute("role", "alert");
    }
    if (input) {
      input.setAttribute("aria-invalid", "true");
      input.focus();
    }
  }

  function clearError(form) {
    const box = form.querySelector("[data-upload-error]");
    const input = form.querySelector("input[type=file]");
    if (box) {
      box.textContent = "";
      box.hidden = true;
    }
    if (input) input.removeAttribute("aria-invalid");
  }

  function setProgress(form, percent) {
    const wrap = form.querySelector("[data-upload-progress]");
    if (!wrap) return;
    wrap.hidden = false;
    const bar = wrap.querySelector("progress");
    const label = wrap.querySelector("[data-upload-progress-label]");
    bar.value = percent;
    bar.textContent = percent + "%";
    label.textContent = "Uploaden: " + percent + "%";
  }

  function tooBig(form, file) {
    // The server decides by the file's bytes; this only spares a long upload that will fail.
    const media = /^(audio|video)\//.test(file.type);
    const unknown = !file.type;
    const limit = Number(media || unknown ? form.dataset.maxMediaBytes : form.dataset.maxImageBytes);
    if (!limit || file.size <= limit) return null;
    return media || unknown ? form.dataset.tooBigMedia : form.dataset.tooBigImage;
  }

  // An htmx swap replaces the widget and with it the focused element; put focus back inside.
  let swappedWidget = null;

  document.addEventListener("htmx:beforeSend", function (evt) {
    const widget = evt.detail.elt.closest && evt.detail.elt.closest(".upload-widget");
    if (widget) swappedWidget = widget.id;
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!swappedWidget) return;
    const widget = document.getElementById(swappedWidget);
    swappedWidget = null;
    if (!widget) return;
    const target = widget.querySelector("input[aria-invalid=true]") ||
      widget.querySelector(".upload-widget-title");
    if (target) target.focus();
  });

  document.addEventListener("htmx:beforeRequest", function (evt) {
    const form = uploadForm(evt.detail.elt);
    if (!form || evt.detail.elt !== form) return;
    const input = form.querySelector("input[type=file]");
    const file = input && input.files && input.files[0];
    clearError(form);
    if (file) {
      const message = tooBig(form, file);
      if (message) {
        evt.preventDefault();
        showError(form, message);
        return;
      }
    }
    setProgress(form, 0);
  });

  document.addEventListener("htmx:xhr:progress", function (evt) {
    const form = uploadForm(evt.target);
    if (!form || !evt.detail.lengthComputable || !evt.detail.total) return;
    setProgress(form, Math.min(100, Math.round((evt.detail.loaded / evt.detail.total) * 100)));
  });

  function failed(evt) {
    const form = uploadForm(evt.detail.elt);
    if (!form) return;
    const wrap = form.querySelector("[data-upload-progress]");
    if (wrap) wrap.hidden = true;
    showError(form, "Het opladen is niet gelukt: de verbinding viel weg. Probeer het opnieuw; " +
      "een kleiner bestand of een betere verbinding (wifi) helpt.");
  }

  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:timeout", failed);
})();
