// The stagepakket page: after an autosave, show the signing status the save answer carries
// (a <template data-signing-status> in the save state), so the page never keeps claiming
// "ondertekend" or "aangeboden" for content that changed since.
"use strict";

document.addEventListener("autosave:saved", function (event) {
  var fresh = event.target.querySelector("template[data-signing-status]");
  var status = document.getElementById("signing-status");
  if (!fresh) return;
  if (status) status.replaceChildren(fresh.content.cloneNode(true));
  fresh.remove();
});
