// The reviewer's score page (fidelity/review_score.html): each item saves as it is scored, so a two-day
// visit never depends on one button at the end. Progressive: without this script the page's "Save my
// scores" button saves every item through the same service.
//
// An item is "pending" from the moment it changes until the server says it is saved. Pending items are
// kept in sessionStorage (this tab only, gone when it closes) so a reload keeps them too; they are sent
// one request at a time, in the order they changed, and retried when the connection comes back. A
// refusal (a missing reason, scores already submitted) is shown on the item and not retried until the
// reviewer changes it again.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  // Per review and per reviewer: two reviewers may take turns in one browser tab (sign out, sign in).
  var storageKey =
    "ipshub-fidelity-scores-" + form.getAttribute("data-review") + "-" + form.getAttribute("data-reviewer");
  var itemCount = parseInt(form.getAttribute("data-item-count"), 10);
  // The self-assessment's form (fidelity/self_assessment_form.html) also saves an item cleared of its score:
  // the team has not agreed on it yet. A reviewer's item needs a score or "cannot rate".
  var unscoredSaves = form.hasAttribute("data-unscored-saves");
  var announce = document.querySelector("[data-score-announce]");
  var progress = document.querySelector("[data-score-progress]");
  // The page's texts in the reader's language (fidelity/_score_bar.html); English when they are missing.
  var texts = {};
  var textsNode = document.getElementById("fidelity-scoring-texts");
  if (textsNode) {
    try {
      texts = JSON.parse(textsNode.textContent);
    } catch (error) {
      texts = {};
    }
  }
  function say(key, english, values) {
    var text = texts[key] || english;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(values[name]);
    });
    return text;
  }
  var token = form.querySelector("input[name=csrfmiddlewaretoken]");
  var items = {};
  var pending = {}; // item number -> {field name: value}
  var queue = []; // item numbers waiting to be sent, oldest change first
  var sending = false;
  var offline = false;
  var serverTrouble = false; // an answer that is not the endpoint's (signed out, a server error)
  var typingTimers = {};
  var retryTimer = null;
  var submitWhenSaved = false; // the button pressed while items were on their way: it waits for them

  Array.prototype.forEach.call(form.querySelectorAll("fieldset[data-item]"), function (fieldset) {
    items[fieldset.getAttribute("data-item")] = fieldset;
  });

  function fieldsOf(number) {
    return Array.prototype.filter.call(items[number].elements, function (el) {
      return el.name;
    });
  }

  function valuesOf(number) {
    var values = {};
    fieldsOf(number).forEach(function (el) {
      values[el.name] = el.value;
    });
    return values;
  }

  function status(number, text, kind) {
    var line = items[number].querySelector("[data-item-status]");
    line.textContent = text;
    line.className = "fidelity-item-status" + (kind ? " fidelity-item-status--" + kind : "");
  }

  function remember() {
    try {
      window.sessionStorage.setItem(storageKey, JSON.stringify(pending));
    } catch (e) {
      // Storage full or refused (private browsing): the page itself still holds the unsaved items.
    }
  }

  function numbers(list) {
    return list
      .map(Number)
      .sort(function (a, b) {
        return a - b;
      })
      .join(", ");
  }

  function summarize(message) {
    var waiting = Object.keys(pending);
    var parts = message ? [message] : [];
    if (waiting.length) {
      if (offline) {
        parts.push(
          serverTrouble
            ? say("serverTrouble", "The server did not save them (are you still signed in?).")
            : say("offline", "You are offline.")
        );
      }
      parts.push(
        waiting.length > 1
          ? say("notSavedMany", "Not saved yet: items {items}.", { items: numbers(waiting) })
          : say("notSavedOne", "Not saved yet: item {items}.", { items: numbers(waiting) })
      );
      if (offline) {
        parts.push(
          serverTrouble
            ? say("whenServer", "They will be saved when the server answers again; keep this page open.")
            : say("whenOnline", "They will be saved when the connection comes back; keep this page open.")
        );
      }
    }
    announce.textContent = parts.join(" ");
    announce.className = "fidelity-score-saving" + (waiting.length ? " fidelity-score-saving--pending" : "");
  }

  function updateProgress(scored) {
    progress.textContent = say("progress", "{scored} of {total} scored", { scored: scored, total: itemCount });
    var bySection = {};
    Object.keys(items).forEach(function (number) {
      var fieldset = items[number];
      var section = fieldset.getAttribute("data-section");
      bySection[section] = bySection[section] || { scored: 0, total: 0 };
      bySection[section].total += 1;
      if (fieldset.hasAttribute("data-scored")) {
        bySection[section].scored += 1;
      }
    });
    Object.keys(bySection).forEach(function (section) {
      var counter = document.querySelector('[data-section-progress="' + section + '"]');
      if (counter) {
        counter.textContent = say("section", "({scored} of {total})", {
          scored: bySection[section].scored,
          total: bySection[section].total,
        });
      }
    });
  }

  function enqueue(number) {
    var index = queue.indexOf(number);
    if (index !== -1) {
      queue.splice(index, 1);
    }
    queue.push(number);
    send();
  }

  function changed(number) {
    pending[number] = valuesOf(number);
    remember();
    var score = pending[number]["score_" + number];
    if (!score && !unscoredSaves) {
      status(
        number,
        say("needScore", "Not saved: choose a score (or 'cannot rate' with a reason) to save this item."),
        "pending"
      );
      summarize();
      return;
    }
    status(number, offline ? waitingText() : say("saving", "Saving…"), "pending");
    if (offline) {
      summarize();
    }
    enqueue(number);
  }

  function waitingText() {
    return serverTrouble
      ? say("waitingRetry", "Not saved yet (will retry)")
      : say("waitingOffline", "Not saved yet (offline)");
  }

  function wentOffline(number, fromServer) {
    offline = true;
    submitWhenSaved = false;
    serverTrouble = Boolean(fromServer);
    if (queue.indexOf(number) === -1) {
      queue.unshift(number);
    }
    status(number, waitingText(), "pending");
    Object.keys(pending).forEach(function (n) {
      if (n !== number && pending[n]["score_" + n]) {
        status(n, waitingText(), "pending");
      }
    });
    summarize();
    if (!retryTimer) {
      retryTimer = window.setInterval(retry, 10000);
    }
  }

  function retry() {
    if (sending || !queue.length) {
      return;
    }
    offline = false;
    send();
  }

  // A new self-assessment is created by its first saved item: the next items go to its own URLs, and the
  // page (its button, a reload) becomes that self-assessment's.
  function movedTo(answer) {
    if (!answer.save_url_template || !answer.self_assessment_url) {
      return;
    }
    Object.keys(items).forEach(function (n) {
      items[n].setAttribute("data-save-url", answer.save_url_template.replace("{item}", n));
    });
    if (form.getAttribute("action") !== answer.self_assessment_url) {
      form.setAttribute("action", answer.self_assessment_url);
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, "", answer.self_assessment_url);
      }
    }
  }

  function send() {
    if (sending || offline || !queue.length) {
      if (!sending && !queue.length && submitWhenSaved) {
        // The items are saved: now the whole form (on a new self-assessment, to the one the first item made).
        submitWhenSaved = false;
        pending = {};
        remember();
        form.submit();
      }
      return;
    }
    var number = queue.shift();
    var values = pending[number];
    if (!values) {
      send();
      return;
    }
    var body = new FormData();
    body.append("csrfmiddlewaretoken", token.value);
    Object.keys(values).forEach(function (name) {
      body.append(name, values[name]);
    });
    sending = true;
    window
      .fetch(items[number].getAttribute("data-save-url"), {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": token.value },
      })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return null;
          })
          .then(function (answer) {
            return { response: response, answer: answer };
          });
      })
      .then(
        function (result) {
          sending = false;
          var answer = result.answer;
          var stillSame = JSON.stringify(pending[number]) === JSON.stringify(values);
          serverTrouble = false;
          if (result.response.ok && answer && answer.saved) {
            if (stillSame) {
              delete pending[number];
              remember();
              status(number, say("savedAt", "Saved {time}", { time: answer.saved_at_text }), "saved");
            } else {
              enqueue(number); // changed again while this was on its way: send the newer version
            }
            if (answer.item_scored === false) {
              items[number].removeAttribute("data-scored");
            } else {
              items[number].setAttribute("data-scored", "");
            }
            movedTo(answer);
            updateProgress(answer.scored);
            summarize(say("itemSaved", "Item {number} saved at {time}.", { number: number, time: answer.saved_at_text }));
          } else if (answer && answer.errors) {
            // Refused: shown on the item, kept in the page, sent again when the reviewer changes it.
            status(number, say("notSaved", "Not saved: {errors}", { errors: answer.errors.join(" ") }), "error");
            summarize(
              say("itemNotSaved", "Item {number} was not saved: {errors}", {
                number: number,
                errors: answer.errors.join(" "),
              })
            );
          } else {
            // Signed out, or the server is failing: keep the item and try again later.
            wentOffline(number, true);
            return;
          }
          send();
        },
        function () {
          sending = false;
          wentOffline(number); // no answer at all: the network is cut
        }
      );
  }

  Object.keys(items).forEach(function (number) {
    var fieldset = items[number];
    fieldset.addEventListener("change", function () {
      window.clearTimeout(typingTimers[number]);
      changed(number);
    });
    // Notes save a moment after the reviewer stops typing, not only when they leave the box.
    fieldset.addEventListener("input", function (event) {
      if (event.target.tagName === "SELECT") {
        return;
      }
      window.clearTimeout(typingTimers[number]);
      typingTimers[number] = window.setTimeout(function () {
        changed(number);
      }, 1500);
    });
  });

  window.addEventListener("online", function () {
    offline = false;
    summarize(say("backOnline", "Back online: saving the items that were waiting."));
    send();
  });
  window.addEventListener("offline", function () {
    offline = true;
    serverTrouble = false;
    summarize();
  });
  // Leaving with unsaved items: the browser asks first.
  window.addEventListener("beforeunload", function (event) {
    if (Object.keys(pending).length) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  // The whole-form button saves everything the page holds, so nothing is pending after it. Offline it could
  // only lose the page: it waits, and the items still save one by one when the connection comes back.
  form.addEventListener("submit", function (event) {
    if (offline || navigator.onLine === false) {
      event.preventDefault();
      summarize(say("notSent", "The page was not sent (no connection to the server); your scores stay here."));
      return;
    }
    if (sending || queue.length) {
      event.preventDefault();
      submitWhenSaved = true;
      summarize(say("savingLast", "Saving the last items first…"));
      return;
    }
    pending = {};
    remember();
  });

  // Items left unsaved in this tab (a reload while offline): put them back in the page and send them.
  var kept = {};
  try {
    kept = JSON.parse(window.sessionStorage.getItem(storageKey) || "{}") || {};
  } catch (e) {
    kept = {};
  }
  Object.keys(kept).forEach(function (number) {
    if (!items[number]) {
      return;
    }
    fieldsOf(number).forEach(function (el) {
      if (Object.prototype.hasOwnProperty.call(kept[number], el.name)) {
        el.value = kept[number][el.name];
      }
    });
    changed(number);
  });
  if (!offline && navigator.onLine === false) {
    offline = true;
    summarize();
  }
})();
