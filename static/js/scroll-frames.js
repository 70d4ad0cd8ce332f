/*
 * A table wider than its .table-responsive frame scrolls inside it (issue 20: on a 390 px phone,
 * and in the version for the visually impaired, whose cells keep their words whole). A frame that
 * scrolls is made focusable, so that a keyboard scrolls it too (WCAG 2.1.1, axe
 * scrollable-region-focusable), and named after its table's caption, as the templates already do
 * by hand for some frames (tabindex="0" role="region" aria-labelledby="…-caption"); those are left
 * as they are. A frame that fits is no stop for the Tab key: the attributes come and go with the
 * frame's width (a phone turned, the font made larger).
 */
(function () {
  "use strict";

  if (!window.ResizeObserver) {
    return;
  }
  var frames = document.querySelectorAll(".table-responsive:not([tabindex])");
  if (!frames.length) {
    return;
  }

  function label(frame) {
    var caption = frame.querySelector("caption");
    if (caption && caption.textContent.trim()) {
      return caption.textContent.trim();
    }
    var heading = frame.previousElementSibling;
    while (heading && !/^H[1-6]$/.test(heading.tagName)) {
      heading = heading.previousElementSibling;
    }
    return heading ? heading.textContent.trim() : "";
  }

  function mark(frame) {
    var scrolls = frame.scrollWidth > frame.clientWidth + 1;
    var marked = frame.hasAttribute("data-scroll-frame");
    if (scrolls && !marked) {
      frame.setAttribute("data-scroll-frame", "");
      frame.setAttribute("tabindex", "0");
      var name = label(frame);
      if (name) {
        frame.setAttribute("role", "region");
        frame.setAttribute("aria-label", name);
      }
    } else if (!scrolls && marked && document.activeElement !== frame) {
      ["data-scroll-frame", "tabindex", "role", "aria-label"].forEach(function (attribute) {
        frame.removeAttribute(attribute);
      });
    }
  }

  var observer = new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      mark(entry.target.closest(".table-responsive"));
    });
  });
  frames.forEach(function (frame) {
    mark(frame);
    observer.observe(frame);
    var table = frame.querySelector("table");
    if (table) {
      observer.observe(table);
    }
  });
})();
