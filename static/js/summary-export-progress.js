/*
 * Summary export progress: asks the small JSON status every two seconds, moves the bar, says the
 * message through the role="status" paragraph, and reloads the page when the file is ready or the
 * export failed (the page then offers the download or shows the error). Without this file the
 * «Обновить» link does the same by hand.
 */
(function () {
  "use strict";

  var INTERVAL_MS = 2000;
  var root = document.querySelector("[data-export-status]");
  if (!root || !window.fetch) {
    return;
  }
  var url = root.getAttribute("data-export-status");
  var meter = root.querySelector('[role="progressbar"]');
  var bar = root.querySelector("[data-export-bar]");
  var message = root.querySelector("[data-export-message]");

  function show(state) {
    var percent = String(state.percent) + "%";
    meter.setAttribute("aria-valuenow", String(state.percent));
    bar.style.width = percent;
    bar.textContent = percent;
    if (message.textContent !== state.message) {
      message.textContent = state.message;
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (state) {
        if (state) {
          show(state);
          if (state.finished) {
            window.location.reload();
            return;
          }
        }
        window.setTimeout(poll, INTERVAL_MS);
      })
      .catch(function () {
        window.setTimeout(poll, INTERVAL_MS * 2);
      });
  }

  window.setTimeout(poll, INTERVAL_MS);
})();
