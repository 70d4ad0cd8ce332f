/*
 * «Добавить вопрос» on the minutes form: a copy of the formset's empty form (the <template> with id
 * question-template), numbered after the last one. Its legend is the template's data-legend and
 * the number («Вопрос 3»). Without this file, saving the draft adds an empty question at the end
 * of the edit page.
 */
(function () {
  "use strict";

  var button = document.getElementById("add-question");
  var total = document.getElementById("id_items-TOTAL_FORMS");
  var template = document.getElementById("question-template");
  var questions = document.getElementById("questions");
  if (!button || !total || !template || !questions) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    questions.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var added = questions.lastElementChild;
    added.querySelector("legend").textContent =
      template.getAttribute("data-legend") + " " + String(index + 1);
    added.querySelector("textarea").focus();
  });
})();
