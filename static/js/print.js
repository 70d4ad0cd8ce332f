/*
 * A button marked data-print prints the page (the print CSS lays it out as a document). The button
 * is hidden until this file shows it: without scripts the browser's own print command remains.
 */
(function () {
  "use strict";

  var buttons = document.querySelectorAll("[data-print]");
  Array.prototype.forEach.call(buttons, function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
