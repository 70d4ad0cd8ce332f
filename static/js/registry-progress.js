/*
 * Registry import progress: asks the small JSON status every few seconds, moves the bar, says
 * the message through the role="status" paragraph, and reloads the page when the import is done
 * (the page then shows the result). Without this file the «Обновить» link does the same by hand.
 * The bar counts the lines read and checked; the last step, the one writing transaction, has no
 * progress to report, so the full bar is striped and moving while it runs.
 */
(function () {
  "use strict";

  var INTERVAL_MS = 1500;
  var root = document.querySelector("[data-registry-status]");
  if (!root || !window.fetch) {
    return;
  }
  var url = root.getAttribute("data-registry-status");
  var meter = root.querySelector('[role="progressbar"]');
  var bar = root.querySelector("[data-registry-bar]");
  var message = root.querySelector("[data-registry-message]");

  function show(state) {
    var percent = String(state.percent) + "%";
    meter.setAttribute("aria-valuenow", String(state.percent));
    bar.style.width = percent;
    bar.textContent = percent;
    bar.classList.toggle("progress-bar-striped", state.writing);
    bar.classList.toggle("progress-bar-animated", state.writing);
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
