/* 云竞答: org search on the entry page, countdown and autosave on the paper, export progress. No libraries. */
(function () {
  "use strict";

  // Entry page: a search box that filters the (indented) unit list.
  document.querySelectorAll(".org-search").forEach(function (input) {
    var select = document.getElementById(input.dataset.for);
    if (!select) return;
    input.hidden = false;
    var all = Array.prototype.map.call(select.options, function (o) { return { value: o.value, text: o.text }; });
    input.addEventListener("input", function () {
      var q = input.value.trim();
      var current = select.value;
      select.innerHTML = "";
      all.forEach(function (o) {
        if (!o.value || !q || o.text.indexOf(q) !== -1) {
          var opt = new Option(q && o.value ? o.text.trim() : o.text, o.value);
          opt.selected = o.value === current;
          select.add(opt);
        }
      });
      if (q && select.options.length === 2) select.selectedIndex = 1;
    });
  });

  // Paper: countdown (the server enforces the limit; this only shows it) and autosave on every change.
  var bar = document.getElementById("quiz-bar");
  var form = document.getElementById("quiz-form");
  if (bar && form) {
    var timer = document.getElementById("quiz-timer");
    var saved = document.getElementById("quiz-saved");
    var progress = document.getElementById("quiz-progress");
    var deadline = Date.now() + parseInt(bar.dataset.remaining, 10) * 1000;
    var total = form.querySelectorAll("fieldset.quiz-q").length;
    // A screen reader hears the time only when it crosses a threshold, not every second.
    var spoken = document.getElementById("quiz-timer-alert");
    var thresholds = [[300, "剩余 5 分钟"], [60, "剩余 1 分钟"]];
    var last = null;
    var tick = function () {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      var m = Math.floor(left / 60), s = left % 60;
      timer.textContent = "剩余 " + m + ":" + (s < 10 ? "0" : "") + s;
      timer.classList.toggle("warn", left <= 60);
      if (spoken && last !== null) {
        thresholds.forEach(function (t) {
          if (last > t[0] && left <= t[0] && left > 0) spoken.textContent = t[1];
        });
      }
      last = left;
      if (left === 0) {
        clearInterval(handle);
        timer.textContent = "时间到，正在交卷…";
        if (spoken) spoken.textContent = "时间到，正在交卷";
        form.submit();
      }
    };
    var handle = setInterval(tick, 1000);
    tick();
    // The answer sheet (答题卡): each number marked answered or not, from the inputs themselves.
    var answered = function () {
      var n = 0;
      form.querySelectorAll("fieldset.quiz-q").forEach(function (fs) {
        var done = !!fs.querySelector("input:checked");
        if (done) n += 1;
        var item = form.querySelector('.quiz-nav-item[data-for="' + fs.id + '"]');
        if (item) {
          item.classList.toggle("is-answered", done);
          item.querySelector(".quiz-nav-state").textContent = done ? "已答" : "未答";
        }
      });
      progress.textContent = "已答 " + n + " / " + total + " 题";
    };
    answered();
    var pending = null;
    var save = function () {
      pending = null;
      saved.textContent = "保存中…";
      fetch(bar.dataset.saveUrl, { method: "POST", body: new FormData(form), credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (data.ok) {
            saved.textContent = "已自动保存 " + data.saved_at;
            deadline = Date.now() + data.remaining * 1000;
          } else {
            saved.textContent = data.error;
          }
        })
        .catch(function () { saved.textContent = "网络中断，恢复后将继续保存"; });
    };
    form.addEventListener("change", function () {
      answered();
      if (pending) clearTimeout(pending);
      pending = setTimeout(save, 300);
    });
    window.addEventListener("online", save);
    form.addEventListener("submit", function () {
      document.getElementById("quiz-submit").disabled = true;
    });
  }

  // A paper shown again from the back-forward cache may be one already handed in: ask the server (which sends a
  // submitted attempt's paper on to its result).
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.getElementById("quiz-form")) window.location.reload();
  });

  // Export page: poll the job until the file is ready.
  var job = document.getElementById("export-job");
  if (job && job.dataset.status !== "done" && job.dataset.status !== "failed") {
    var poll = function () {
      fetch(job.dataset.statusUrl, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          document.getElementById("export-label").textContent = data.label;
          document.getElementById("export-rows").textContent = data.rows_done;
          document.getElementById("export-progress").value = data.percent;
          var download = document.getElementById("export-download");
          if (data.status === "done") {
            if (download) download.hidden = false;
          } else if (data.status === "failed") {
            // Why it failed, without a reload (the page only had it when it was rendered).
            var error = document.getElementById("export-error");
            error.textContent = data.error;
            error.hidden = !data.error;
          } else {
            setTimeout(poll, 1500);
          }
        });
    };
    setTimeout(poll, 1000);
  }
})();
