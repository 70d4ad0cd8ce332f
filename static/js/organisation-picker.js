/*
 * Organisation picker: search as you type.
 *
 * The page works without this file: «Найти» submits the form and the server lists the matches as
 * radio buttons. With it, the matches come from the JSON endpoint while the person types, the
 * number found is announced through the role="status" region, and Enter in the search box
 * searches instead of submitting the form. Radio buttons stay native, so the keyboard works as
 * everywhere: Tab into the list, arrows to move, Space to pick.
 */
(function () {
  "use strict";

  var DELAY_MS = 300;
  var MIN_LENGTH = 2;

  function init(root) {
    var input = root.querySelector('input[type="search"]');
    var findButton = root.querySelector("[data-picker-find]");
    var status = root.querySelector("[data-picker-status]");
    var results = root.querySelector("[data-picker-results]");
    var options = root.querySelector("[data-picker-options]");
    var url = root.getAttribute("data-search-url");
    // The form field the radio buttons fill: "organisation" unless the picker says otherwise
    // (the structure form picks its host organisation, data-field="host").
    var field = root.getAttribute("data-field") || "organisation";
    var timer = null;
    var controller = null;
    var lastQuery = null;

    if (!input || !findButton || !status || !results || !options || !url) {
      return;
    }
    // The button now searches in place; Enter elsewhere in the form submits the form again.
    findButton.type = "button";

    function announce(text) {
      // Emptying first makes screen readers repeat a message equal to the previous one.
      status.textContent = "";
      window.setTimeout(function () {
        status.textContent = text;
      }, 50);
    }

    function checkedOption() {
      var checked = options.querySelector('input[type="radio"]:checked');
      if (!checked) {
        return null;
      }
      var label = options.querySelector('label[for="' + checked.id + '"]');
      return { id: checked.value, label: label ? label.textContent.trim() : checked.value };
    }

    function option(item, index, checked) {
      var wrapper = document.createElement("div");
      wrapper.className = "form-check";
      var radio = document.createElement("input");
      radio.type = "radio";
      radio.className = "form-check-input";
      radio.name = field;
      radio.id = "id_" + field + "_" + index;
      radio.value = String(item.id);
      radio.checked = checked;
      var label = document.createElement("label");
      label.className = "form-check-label";
      label.htmlFor = radio.id;
      label.textContent = item.label;
      wrapper.appendChild(radio);
      wrapper.appendChild(label);
      return wrapper;
    }

    function show(items, message) {
      // The organisation already picked stays on the list even if the new query misses it.
      var kept = checkedOption();
      var list = items.slice();
      if (kept && !list.some(function (item) { return String(item.id) === kept.id; })) {
        list.unshift(kept);
      }
      options.replaceChildren();
      list.forEach(function (item, index) {
        options.appendChild(option(item, index, kept !== null && String(item.id) === kept.id));
      });
      results.hidden = list.length === 0;
      announce(message);
    }

    function search(now) {
      var query = input.value.trim();
      window.clearTimeout(timer);
      if (query === lastQuery && !now) {
        return;
      }
      if (query.length < MIN_LENGTH) {
        lastQuery = query;
        show([], "");
        return;
      }
      timer = window.setTimeout(function () {
        if (controller) {
          controller.abort();
        }
        controller = new AbortController();
        lastQuery = query;
        root.setAttribute("aria-busy", "true");
        fetch(url + (url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(query), {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          signal: controller.signal,
        })
          .then(function (response) {
            // 400: the server refused the query (e.g. a NUL byte) and says why in `message`.
            if (!response.ok && response.status !== 400) {
              throw new Error(String(response.status));
            }
            return response.json();
          })
          .then(function (data) {
            show(data.results, data.message);
          })
          .catch(function (error) {
            if (error.name !== "AbortError") {
              lastQuery = null;
              announce(root.getAttribute("data-error-message") || "");
            }
          })
          .finally(function () {
            root.removeAttribute("aria-busy");
          });
      }, now ? 0 : DELAY_MS);
    }

    input.addEventListener("input", function () {
      search(false);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        search(true);
      }
    });
    findButton.addEventListener("click", function () {
      search(true);
    });
  }

  document.querySelectorAll("[data-organisation-picker]").forEach(init);
})();
