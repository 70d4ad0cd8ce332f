// The version for the visually impaired on the public pages (issue 20). Those pages are the same for
// every visitor and cached by browsers and proxies (communities/public/http.py), so the server does
// not read the visitor's choice there: this script reads the «vision» cookie that the switch sets
// (networks.account.views.vision_update, «font=large;scheme=blue;…», quoted by Django) and puts on
// <html> the classes networks.account.vision.Vision.classes gives, before the page is drawn. The
// header's link to the settings page gets this page as the way back.
(function () {
  "use strict";
  var allowed = {
    font: ["normal", "large", "larger"],
    scheme: ["bw", "wb", "blue"],
    spacing: ["normal", "wide"],
    images: ["on", "off"],
  };
  var choice = { font: "large", scheme: "bw", spacing: "normal", images: "on" };
  var cookie = document.cookie.split(/;\s*/).filter(function (c) {
    return c.indexOf("vision=") === 0;
  })[0];
  var text = cookie ? cookie.slice("vision=".length).replace(/^"|"$/g, "").replace(/\\073/g, ";") : "";
  if (text) {
    text.split(";").forEach(function (part) {
      var pair = part.split("=");
      if (allowed[pair[0]] && allowed[pair[0]].indexOf(pair[1]) >= 0) {
        choice[pair[0]] = pair[1];
      }
    });
    document.documentElement.classList.add(
      "vi",
      "vi-font-" + choice.font,
      "vi-scheme-" + choice.scheme,
      "vi-spacing-" + choice.spacing,
      "vi-images-" + choice.images
    );
  }
  document.addEventListener("DOMContentLoaded", function () {
    var link = document.querySelector("a[data-vision-settings]");
    if (link) {
      link.href = link.pathname + "?next=" + encodeURIComponent(location.pathname + location.search);
    }
  });
})();
