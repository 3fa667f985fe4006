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

  // On a phone, each table row reads as a card (USWDS stacked table, below 480 px): every cell is labelled with
  // its column's header. Tables marked .ipshub-table--keep stay tables (a matrix read across); without this
  // script a table scrolls inside its own box (ipshub.css), never the page.
  function stackTables(root) {
    root.querySelectorAll("table.usa-table:not(.ipshub-table--keep):not(.usa-table--stacked)").forEach(stack);
  }
  function stack(table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) return;
    var labels = [];
    Array.prototype.forEach.call(head.cells, function (cell) {
      for (var span = 0; span < cell.colSpan; span += 1) labels.push(cell.textContent.replace(/\s+/g, " ").trim());
    });
    var bodies = Array.prototype.slice.call(table.tBodies);
    if (table.tFoot) bodies.push(table.tFoot);
    bodies.forEach(function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (!cell.hasAttribute("data-label") && labels[column]) cell.setAttribute("data-label", labels[column]);
          column += cell.colSpan;
        });
      });
    });
    table.classList.add("usa-table--stacked");
  }
  stackTables(document);
  // Parts of a page loaded later (htmx) get the same treatment.
  document.addEventListener("htmx:afterSettle", function (event) { stackTables(event.target); });

  // After a save the confirmation is what the person looks for: keep it in view, even when the page opened at
  // an anchor further down (the browser scrolls there first, hence after "load").
  window.addEventListener("load", function () {
    var messages = document.querySelector(".ipshub-messages");
    if (messages) messages.scrollIntoView({ block: "nearest" });
  });

  // Slow work (a PDF, a large export, a recomputation): an element marked data-busy="Building the PDF…"
  // says so in the polite live region #ipshub-busy while the work runs, and a second click or submit
  // does nothing until it is done.
  var region = document.getElementById("ipshub-busy");

  // The script's own sentences, in the person's language: the base template gives them on the live region.
  function sentence(key, fallback, values) {
    var text = (region && region.dataset[key]) || fallback;
    Object.keys(values).forEach(function (name) { text = text.split("{" + name + "}").join(values[name]); });
    return text;
  }

  function say(text, kind) {
    if (!region) return;
    region.textContent = text;
    region.className = "ipshub-busy" + (kind ? " ipshub-busy--" + kind : "");
  }

  function filenameFrom(response, href) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header);
    if (match) return decodeURIComponent(match[1]);
    var path = new URL(href, window.location.href).pathname.replace(/\/$/, "");
    return path.slice(path.lastIndexOf("/") + 1) || "download";
  }

  function done(element) {
    element.removeAttribute("aria-busy");
    element.removeAttribute("aria-disabled");
    delete element.dataset.busyRunning;
  }

  // Links: fetch the file so the page knows when it has arrived, then hand it to the browser as a download.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-busy]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    if (!window.fetch || !window.URL || !URL.createObjectURL) return; // old browsers: a plain link
    event.preventDefault();
    if (link.dataset.busyRunning) return; // already under way: ignore the second click
    link.dataset.busyRunning = "1";
    link.setAttribute("aria-busy", "true");
    link.setAttribute("aria-disabled", "true");
    say(link.dataset.busy, "working");
    fetch(link.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.blob().then(function (blob) {
          var name = filenameFrom(response, link.href);
          var url = URL.createObjectURL(blob);
          var save = document.createElement("a");
          save.href = url;
          save.download = name;
          save.hidden = true;
          document.body.appendChild(save);
          save.click();
          save.remove();
          window.setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
          say(sentence("ready", "Ready: {name} is downloaded.", { name: name }), "done");
        });
      })
      .catch(function (error) {
        var fallback = "That did not work ({error}). Try again; if it keeps failing, tell your administrator.";
        say(sentence("failed", fallback, { error: error.message }), "error");
      })
      .then(function () { done(link); });
  });

  // Forms: the page is replaced when the answer arrives; until then the submit buttons are disabled.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var text = (submitter && submitter.dataset.busy) || form.dataset.busy;
    if (!text) return;
    if (form.dataset.busyRunning) {
      event.preventDefault(); // already sent: a second press would do the work twice
      return;
    }
    form.dataset.busyRunning = "1";
    form.setAttribute("aria-busy", "true");
    say(text, "working");
    // Disabled after this event, so the pressed button's own name and value are still sent.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach(function (button) {
        if (button.disabled) return;
        button.disabled = true;
        button.dataset.busyDisabled = "1";
      });
    }, 0);
  });

  // Back to a page kept in the browser's memory: nothing is running any more.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    say("", "");
    document.querySelectorAll("[data-busy-running]").forEach(function (element) {
      done(element);
      element.querySelectorAll("[data-busy-disabled]").forEach(function (button) {
        button.disabled = false;
        delete button.dataset.busyDisabled;
      });
    });
  });
})();
