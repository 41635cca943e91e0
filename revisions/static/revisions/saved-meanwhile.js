// Warns an editor when someone else saves the object they have open (revisions/conflicts.py
// refuses the conflicting save anyway; this only says so earlier). Asks every 20 seconds.
(function () {
  "use strict";
  var field = document.querySelector('input[name="based_on"]');
  var banner = document.getElementById("saved-meanwhile");
  if (!field || !field.value || !banner) return;
  var opened = field.value;
  var url = new URL("../version/", window.location.href);
  function check() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (stored) {
        if (!stored || stored.version === opened) return;
        banner.textContent = stored.by + " saved this at " + stored.at +
          ", after you opened it. If you save, you will be shown their changes beside " +
          "yours to merge; or reload the page to start from their version.";
        banner.hidden = false;
      })
      .catch(function () {});
  }
  window.setInterval(check, 20000);
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) check(); // back to a form kept in the browser's cache
  });
  window.savedMeanwhileCheck = check; // for the browser test, which cannot wait 20 s
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) check();
  });
})();
