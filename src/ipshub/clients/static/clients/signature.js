// The signature pad of the release (clients/consent_sign.html). Progressive: without this script the
// client signs by typing their name; with it, they may also draw in the box. The drawing goes to the
// server as a PNG data URL in the hidden "signature" field.
(function () {
  "use strict";
  var form = document.querySelector("[data-signature-form]");
  if (!form) {
    return;
  }
  var pad = form.querySelector("[data-signature-pad]");
  var canvas = form.querySelector("[data-signature-canvas]");
  var field = form.querySelector("input[name=signature]");
  var status = form.querySelector("[data-signature-status]");
  var clear = form.querySelector("[data-signature-clear]");
  var drawnChoice = form.querySelector("input[name=method][value=drawn]");
  if (!pad || !canvas || !canvas.getContext || !field) {
    return;
  }
  pad.hidden = false;
  var context = canvas.getContext("2d");
  context.lineWidth = 3;
  context.lineCap = "round";
  context.lineJoin = "round";
  context.strokeStyle = "#1b1b1b";
  var drawing = false;
  var inked = false;

  function point(event) {
    var box = canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - box.left) * canvas.width) / box.width,
      y: ((event.clientY - box.top) * canvas.height) / box.height,
    };
  }

  function save() {
    field.value = inked ? canvas.toDataURL("image/png") : "";
    // The page gives both texts in its language (data-drawn, data-empty).
    status.textContent = inked ? status.dataset.drawn : status.dataset.empty;
  }

  // A page shown again after a refused submit keeps the drawing: put it back in the box.
  if (field.value.indexOf("data:image/png;base64,") === 0) {
    var kept = new Image();
    kept.onload = function () {
      context.drawImage(kept, 0, 0);
      inked = true;
      save();
    };
    kept.src = field.value;
  }

  canvas.addEventListener("pointerdown", function (event) {
    drawing = true;
    if (canvas.setPointerCapture) {
      canvas.setPointerCapture(event.pointerId);
    }
    var at = point(event);
    context.beginPath();
    context.moveTo(at.x, at.y);
    event.preventDefault();
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!drawing) {
      return;
    }
    var at = point(event);
    context.lineTo(at.x, at.y);
    context.stroke();
    inked = true;
    event.preventDefault();
  });
  function stop() {
    if (!drawing) {
      return;
    }
    drawing = false;
    if (inked && drawnChoice) {
      drawnChoice.checked = true;
    }
    save();
  }
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);
  canvas.addEventListener("pointerleave", stop);
  clear.addEventListener("click", function () {
    context.clearRect(0, 0, canvas.width, canvas.height);
    inked = false;
    save();
  });
})();
