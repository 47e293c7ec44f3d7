/* Public-interest SMS campaigns: the live length and segment count of the message (the rule of
   notifications/services/campaigns.py sms_segments, kept in step), and the polled progress of a sending campaign. */
(function () {
  "use strict";

  var SINGLE = 70; // one SMS
  var PART = 67; // each part of a longer one

  function smsSegments(length) {
    if (length <= 0) { return 0; }
    if (length <= SINGLE) { return 1; }
    return Math.ceil(length / PART);
  }
  window.smsSegments = smsSegments;

  function setupCounter(form) {
    var sign = form.getAttribute("data-sign") || "";
    var prefix = sign ? "\u3010" + sign + "\u3011" : "";
    var field = form.querySelector("[data-sms-message]");
    var chars = form.querySelector("[data-sms-chars]");
    var segments = form.querySelector("[data-sms-segments]");
    if (!field) { return; }
    function refresh() {
      // Code points, as the server counts (a character outside the BMP is one, not two UTF-16 units).
      var text = prefix + field.value.replace(/\r\n/g, "\n").trim();
      var length = field.value.trim() ? Array.from(text).length : 0;
      chars.textContent = String(length);
      segments.textContent = String(smsSegments(length));
    }
    field.addEventListener("input", refresh);
    refresh();
  }

  function setupProgress(box) {
    var url = box.getAttribute("data-campaign-progress");
    var bar = box.querySelector("[data-tally-bar]");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (tally) {
          if (!tally) { return; }
          box.querySelectorAll("[data-tally]").forEach(function (cell) {
            cell.textContent = String(tally[cell.getAttribute("data-tally")]);
          });
          if (bar) { bar.max = tally.total; bar.value = tally.sent + tally.failed; }
          if (tally.status === "sending" || tally.status === "scheduled") { window.setTimeout(poll, 2000); }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    var status = box.getAttribute("data-status");
    if (status === "sending" || status === "scheduled") { window.setTimeout(poll, 2000); }
  }

  document.querySelectorAll("[data-sms-counter]").forEach(setupCounter);
  document.querySelectorAll("[data-campaign-progress]").forEach(setupProgress);
})();
