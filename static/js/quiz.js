/* 云竞答: org search on the entry page, countdown and autosave on the paper, export progress. No libraries. */
(function () {
  "use strict";

  // localStorage, or (private mode, storage full or switched off) a copy in memory that lasts as long as the page.
  var localStore = function () {
    var memory = {};
    var storage = null;
    try {
      storage = window.localStorage;
      storage.setItem("quiz-probe", "1");
      storage.removeItem("quiz-probe");
    } catch (e) {
      storage = null;
    }
    var store = {
      local: !!storage,
      read: function (key) {
        try {
          var text = store.local ? storage.getItem(key) : memory[key];
          return text ? JSON.parse(text) : null;
        } catch (e) {
          return null;
        }
      },
      write: function (key, value) {
        if (store.local) {
          try {
            storage.setItem(key, value);
            return;
          } catch (e) { // full: the copy lives in memory from now on, and the older one there is never restored
            store.local = false;
            try { storage.removeItem(key); } catch (e2) { /* nothing more to do */ }
          }
        }
        memory[key] = value;
      },
      remove: function (key) {
        delete memory[key];
        if (!storage) return;
        try { storage.removeItem(key); } catch (e) { /* nothing kept there */ }
      }
    };
    return store;
  };

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

  // Paper: countdown (the server enforces the limit; this only shows it), answer sheet and autosave.
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
        handIn();
        form.submit();
      }
    };
    var handle = null;
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
    // Autosave (the policy in README, 云竞答): every change is kept on the phone at once; the server gets the answers
    // at most every N s (data-save-every; 0 = 300 ms after each change), and by beacon when the page is left.
    var every = parseInt(bar.dataset.saveEvery || "0", 10) * 1000;
    var key = "quiz-answers:" + form.elements.token.value;
    var store = localStore();
    var changes = 0; // changes made on this page
    var confirmed = 0; // changes the server answered 200 for
    var beaconed = -1; // changes last sent by beacon
    var lastSend = null;
    var dueAt = null;
    var pending = null;
    var handedIn = false;
    var clock = function (ms) {
      var d = new Date(ms);
      var two = function (n) { return (n < 10 ? "0" : "") + n; };
      return two(d.getHours()) + ":" + two(d.getMinutes()) + ":" + two(d.getSeconds());
    };
    var keep = function (unsent) {
      var answers = {};
      form.querySelectorAll('input[name^="q_"]:not([type=hidden])').forEach(function (input) {
        answers[input.name] = answers[input.name] || [];
        if (input.checked) answers[input.name].push(input.value);
      });
      store.write(key, JSON.stringify({ answers: answers, unsent: unsent }));
    };
    var waiting = function () {
      if (dueAt === null) return;
      // Honest about where answers wait: on the phone (no storage: in this page only) until the server has them.
      saved.textContent = store.local ? "已保存在本机，" + clock(dueAt) + " 前同步" : "答案将于 " + clock(dueAt) + " 前保存";
    };
    var save = function () {
      if (pending) clearTimeout(pending);
      pending = null;
      dueAt = null;
      if (handedIn) return;
      var version = changes;
      lastSend = Date.now();
      saved.textContent = "保存中…";
      fetch(bar.dataset.saveUrl, { method: "POST", body: new FormData(form), credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (handedIn) return;
          if (data.ok) {
            deadline = Date.now() + data.remaining * 1000;
            if (version > confirmed) confirmed = version;
            if (confirmed === changes) {
              keep(false);
              saved.textContent = "已自动保存 " + data.saved_at;
            } else {
              waiting(); // changed while this one was on its way: those wait for the next send
            }
          } else {
            saved.textContent = data.error;
          }
        })
        .catch(function () { if (!handedIn) saved.textContent = "网络中断，恢复后将继续保存"; });
    };
    var schedule = function () {
      if (every === 0) {
        if (pending) clearTimeout(pending);
        pending = setTimeout(save, 300);
        return;
      }
      if (pending) { waiting(); return; } // one send is already due
      var wait = lastSend === null ? 0 : lastSend + every - Date.now();
      if (wait <= 0) { save(); return; }
      dueAt = lastSend + every;
      pending = setTimeout(save, wait);
      waiting();
    };
    form.addEventListener("change", function () {
      answered();
      changes += 1;
      keep(true);
      schedule();
    });
    var unsent = function () { return !handedIn && changes > confirmed; };
    window.addEventListener("online", function () { if (unsent()) save(); });
    // Leaving the page (or hiding it: a phone may never come back to it) with answers the server has not confirmed.
    var leave = function () {
      if (!unsent() || beaconed === changes || !navigator.sendBeacon) return;
      if (navigator.sendBeacon(bar.dataset.saveUrl, new FormData(form))) beaconed = changes;
    };
    window.addEventListener("pagehide", leave);
    document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") leave(); });
    // Answers kept on the phone and never confirmed (a closed tab, a lost network) are newer than the page the server
    // rendered: put them back and send them.
    var kept = store.read(key);
    if (kept && kept.unsent && kept.answers) {
      form.querySelectorAll('input[name^="q_"]:not([type=hidden])').forEach(function (input) {
        var values = kept.answers[input.name];
        if (values) input.checked = values.indexOf(input.value) !== -1;
      });
      answered();
      changes += 1;
      save();
    }
    // Submitting carries every answer: no autosave first, no beacon after, and the phone's copy is done with.
    var handIn = function () {
      handedIn = true;
      if (pending) clearTimeout(pending);
      store.remove(key);
    };
    // On the window, after confirm.js (which stops a submit it asks about): only a submit that really goes.
    window.addEventListener("submit", function (event) {
      if (event.target !== form || event.defaultPrevented) return;
      document.getElementById("quiz-submit").disabled = true;
      handIn();
    });
    handle = setInterval(tick, 1000);
    tick();
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
