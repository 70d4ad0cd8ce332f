/*
 * Progress of a long job run by the worker (a registry import, a summary export): asks the small
 * JSON status at the address in data-progress-status every two seconds, moves the bar, says the
 * message through the role="status" paragraph, and reloads the page when the job is finished (the
 * page then shows the result, the download or the error). Without this file the «Обновить» link
 * does the same by hand. A status with `writing: true` (the registry's last step, one writing
 * transaction with no progress to report) shows the full bar striped and moving. The bar's width
 * at load comes from aria-valuenow. A bar without aria-valuenow, or a status whose percent is null
 * (an uploaded file being read: its length is not known yet), is indeterminate: full, striped,
 * moving, with no number.
 */
(function () {
  "use strict";

  var INTERVAL_MS = 2000;
  var root = document.querySelector("[data-progress-status]");
  if (!root || !window.fetch) {
    return;
  }
  var url = root.getAttribute("data-progress-status");
  var meter = root.querySelector('[role="progressbar"]');
  var bar = root.querySelector("[data-progress-bar]");
  var message = root.querySelector("[data-progress-message]");

  function indeterminate() {
    meter.removeAttribute("aria-valuenow");
    bar.style.width = "100%";
    bar.textContent = "";
    bar.classList.add("progress-bar-striped", "progress-bar-animated");
  }

  function show(state) {
    if (state.percent === null || state.percent === undefined) {
      indeterminate();
      if (message.textContent !== state.message) {
        message.textContent = state.message;
      }
      return;
    }
    var percent = String(state.percent) + "%";
    meter.setAttribute("aria-valuenow", String(state.percent));
    bar.style.width = percent;
    bar.textContent = percent;
    bar.classList.toggle("progress-bar-striped", Boolean(state.writing));
    bar.classList.toggle("progress-bar-animated", Boolean(state.writing));
    if (message.textContent !== state.message) {
      message.textContent = state.message;
    }
  }

  // The bar's width has no style attribute in the page (the Content-Security-Policy forbids inline
  // styles): it is set here from the percent the server rendered, then from each status.
  if (meter.hasAttribute("aria-valuenow")) {
    bar.style.width = String(meter.getAttribute("aria-valuenow")) + "%";
  } else {
    indeterminate();
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
