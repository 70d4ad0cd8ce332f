/*
 * The structure form: the fields of the chosen kind only.
 *
 * The form's data-kind-features maps each kind (its id) to the kind columns it has
 * (requires_term_and_topic, has_online_platform, …); every part of the form that a column
 * enables carries data-kind-feature. Choosing a kind shows its parts and hides the others. The
 * page works without this file: «Показать поля этого вида» sends the form back and the server
 * draws the kind's fields, and the server judges only those fields whatever the browser sends.
 */
(function () {
  "use strict";

  function init(form) {
    var features = {};
    try {
      features = JSON.parse(form.getAttribute("data-kind-features") || "{}");
    } catch (error) {
      return;
    }
    var kind = form.querySelector('select[name="kind"]');
    if (!kind || kind.disabled) {
      return;
    }
    var button = form.querySelector("[data-choose-kind]");
    if (button) {
      button.hidden = true;
    }

    function show() {
      var chosen = features[kind.value] || [];
      form.querySelectorAll("[data-kind-feature]").forEach(function (part) {
        part.hidden = chosen.indexOf(part.getAttribute("data-kind-feature")) === -1;
      });
    }

    kind.addEventListener("change", show);
    show();
  }

  document.querySelectorAll("[data-structure-form]").forEach(init);
})();
