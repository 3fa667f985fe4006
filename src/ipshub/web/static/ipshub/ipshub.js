// IPS Hub's own script: small progressive enhancements only; every page works without it.
(function () {
  "use strict";
  // "/" jumps to the search box from anywhere, unless the person is typing in a field.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    var box = document.getElementById("site-search");
    if (!typing && box) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });
})();
