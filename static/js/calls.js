/* Call entry editor: the live count per limit (body, abstract) by Word's 字 rule, shared with summary.js. */
(function () {
  "use strict";
  var BODY = ["basic", "measures", "results", "experience", "body"];

  function setup(form) {
    var count = window.summaryCount;
    var limits = {
      body: parseInt(form.getAttribute("data-body-limit"), 10) || 0,
      abstract: parseInt(form.getAttribute("data-abstract-limit"), 10) || 0,
    };
    var submit = form.querySelector("[data-submit]");

    function total(names) {
      return names.reduce(function (sum, name) {
        var field = form.elements[name];
        return sum + (field ? count(field.value) : 0);
      }, 0);
    }

    function refresh() {
      var over = false;
      [["body", BODY], ["abstract", ["abstract"]]].forEach(function (pair) {
        var shown = document.querySelector('[data-live-count="' + pair[0] + '"]');
        var excess = document.querySelector('[data-live-excess="' + pair[0] + '"]');
        if (!shown) { return; }
        var n = total(pair[1]);
        var extra = n - limits[pair[0]];
        shown.textContent = String(n);
        excess.textContent = extra > 0 ? "超出 " + extra + " 字，不能提交" : "";
        over = over || extra > 0;
      });
      if (submit) { submit.disabled = over; }
    }

    form.addEventListener("input", refresh);
    refresh();
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof window.summaryCount !== "function") { return; }
    document.querySelectorAll("form[data-call-editor]").forEach(setup);
  });
})();
