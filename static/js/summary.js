/* Week summary editor: the live character count (the rule of reporting/summary/wordcount.py, kept in step). */
(function () {
  "use strict";

  // Every character in these ranges counts 1 (mirror of WIDE_RANGES in wordcount.py).
  var WIDE = "\u00b7\u2010-\u2027\u2030-\u205e\u2e80-\u2fdf\u3001-\u303f\u3040-\u31ff\u3200-\u4dbf" +
    "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe6f\uff01-\uffef\u{20000}-\u{3ffff}";
  var TOKEN = new RegExp("[" + WIDE + "]|[^\\s" + WIDE + "]+", "gu");

  function summaryCount(text) {
    var found = String(text || "").match(TOKEN);
    return found ? found.length : 0;
  }
  window.summaryCount = summaryCount;

  function setup(form) {
    var limit = parseInt(form.getAttribute("data-limit"), 10) || 0;
    var shown = form.querySelector("[data-count]");
    var excess = form.querySelector("[data-excess]");
    var meter = form.querySelector("[data-meter]");
    var submitButtons = document.querySelectorAll("[data-needs-limit]");

    function refresh() {
      var total = 0;
      form.querySelectorAll("[data-count-source]").forEach(function (field) {
        if (field.closest("[data-picture]") && field.closest("[data-picture]").querySelector("[data-picture-drop]:checked")) {
          return; // a picture marked for removal no longer counts
        }
        total += summaryCount(field.value);
      });
      shown.textContent = String(total);
      var over = limit ? total - limit : 0;
      if (excess) {
        excess.textContent = over > 0 ? "超出 " + over + " 字，超出上限不能报送" : "还可写 " + (limit - total) + " 字";
      }
      if (meter) {
        meter.classList.toggle("over", over > 0);
      }
      submitButtons.forEach(function (button) {
        button.disabled = over > 0 || button.hasAttribute("data-locked");
      });
    }

    form.addEventListener("input", refresh);
    form.addEventListener("change", refresh);
    refresh();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-summary-editor]").forEach(setup);
  });
})();
