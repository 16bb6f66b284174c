// A text field with choices htmx brings in below it (the Student field of a new placement):
// a choice fills the field; the arrow keys move between the field and the choices, Escape
// closes them. Without this script the field is still a plain text field the server checks.
"use strict";

(function () {
  function parts(el) {
    const picker = el.closest("[data-picker]");
    if (!picker) return null;
    return {
      field: picker.querySelector("[data-picker-input]"),
      status: picker.querySelector("[data-picker-status]"),
      results: picker.querySelector("[data-picker-results]"),
      choices: Array.from(picker.querySelectorAll("[data-pick]")),
    };
  }

  function close(picker, message) {
    picker.results.replaceChildren();
    picker.status.textContent = message;
    picker.field.focus();
  }

  document.addEventListener("click", function (evt) {
    const choice = evt.target.closest("[data-pick]");
    const picker = choice && parts(choice);
    if (!picker) return;
    // Set without an input event: htmx searches only when the person types again.
    picker.field.value = choice.dataset.pick;
    close(picker, "Gekozen: " + choice.textContent.trim());
  });

  document.addEventListener("keydown", function (evt) {
    const picker = evt.target.closest && parts(evt.target);
    if (!picker || !picker.choices.length) return;
    const at = picker.choices.indexOf(evt.target); // -1: the field itself
    if (evt.key === "ArrowDown") {
      picker.choices[Math.min(at + 1, picker.choices.length - 1)].focus();
    } else if (evt.key === "ArrowUp" && at >= 0) {
      (at === 0 ? picker.field : picker.choices[at - 1]).focus();
    } else if (evt.key === "Escape") {
      close(picker, "");
    } else {
      return;
    }
    evt.preventDefault();
  });
})();
