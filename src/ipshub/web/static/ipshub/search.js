// The search page's results, from the keyboard: up and down arrows move between the result links, Home and
// End go to the first and last; down arrow from the search box goes to the first result, and up arrow from
// the first result back to the box. Without this script the results are plain links, reached with Tab.
(function () {
  "use strict";
  var list = document.querySelector("[data-search-results]");
  if (!list) return;
  var links = Array.prototype.slice.call(list.querySelectorAll("a"));
  if (!links.length) return;

  var box = document.querySelector("[data-search-box]");

  list.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return;
    var index = links.indexOf(document.activeElement);
    if (index < 0) return;
    if (event.key === "ArrowUp" && index === 0 && box) {
      event.preventDefault();
      box.focus();
      return;
    }
    var next = {
      ArrowDown: Math.min(index + 1, links.length - 1),
      ArrowUp: Math.max(index - 1, 0),
      Home: 0,
      End: links.length - 1
    }[event.key];
    if (next === undefined) return;
    event.preventDefault(); // the arrows would otherwise scroll the page
    links[next].focus();
  });

  if (box) {
    box.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowDown" || event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return;
      event.preventDefault();
      links[0].focus();
    });
  }
})();
