// Small progressive enhancements; everything works without them.
"use strict";

(function () {
  function plural(n, one, many) { return n === 1 ? one : many; }

  function countdownText(ms) {
    if (ms <= 0) return "Je portfolio is afgesloten.";
    const total = Math.floor(ms / 60000);
    const days = Math.floor(total / 1440);
    const hours = Math.floor((total % 1440) / 60);
    const minutes = total % 60;
    const parts = [];
    if (days) parts.push(days + " " + plural(days, "dag", "dagen"));
    if (hours || days) parts.push(hours + " uur");
    parts.push(minutes + " " + plural(minutes, "minuut", "minuten"));
    const last = parts.pop();
    return "Nog " + (parts.length ? parts.join(", ") + " en " : "") + last;
  }

  function refreshCountdowns() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      const deadline = Date.parse(el.dataset.deadline);
      const strong = el.querySelector("strong") || el;
      strong.textContent = countdownText(deadline - Date.now());
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    // The server rendered the text; the browser only keeps it current.
    setInterval(refreshCountdowns, 30000);
  });
})();
