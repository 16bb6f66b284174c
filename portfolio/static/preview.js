// Markdown preview beside a textarea: a "Voorbeeld" toggle; while open it follows the typing.
// The server renders (portfolio.markdown: raw HTML off, unsafe links refused), so the
// preview shows exactly what readers will see.
"use strict";

(function () {
  var DELAY = 500;
  var timers = new WeakMap();

  function parts(el) {
    var main = el.closest(".field-main");
    if (!main) return null;
    var button = main.querySelector("[data-preview-toggle]");
    var box = button ? document.getElementById(button.getAttribute("aria-controls")) : null;
    var textarea = main.querySelector("textarea");
    var form = el.closest("form");
    if (!box || !textarea || !form || !form.dataset.previewUrl) return null;
    return { button: button, box: box, textarea: textarea, form: form };
  }

  function render(p) {
    var body = new FormData();
    var token = p.form.querySelector("[name=csrf_token]");
    if (token) body.append("csrf_token", token.value);
    body.append("tekst", p.textarea.value);
    p.box.setAttribute("aria-busy", "true");
    fetch(p.form.dataset.previewUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "HX-Request": "true" }
    }).then(function (response) {
      return response.text().then(function (text) { return { ok: response.ok, text: text }; });
    }).then(function (answer) {
      // The server's answer is escaped, sanitised HTML (or its Dutch error alert).
      p.box.innerHTML = answer.text;
    }).catch(function () {
      p.box.textContent = "Geen voorbeeld: je bent offline.";
    }).then(function () {
      p.box.removeAttribute("aria-busy");
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-preview-toggle]");
    if (!button) return;
    var p = parts(button);
    if (!p) return;
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    p.box.hidden = !open;
    if (open) render(p);
  });

  document.addEventListener("input", function (event) {
    if (!event.target.matches || !event.target.matches("textarea[data-markdown]")) return;
    var p = parts(event.target);
    if (!p || p.box.hidden) return;
    clearTimeout(timers.get(p.textarea));
    timers.set(p.textarea, setTimeout(function () { render(p); }, DELAY));
  });
})();
