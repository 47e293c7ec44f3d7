/* Summary PDF page: poll the job until the file is ready (LibreOffice runs in a background task). No libraries. */
(function () {
  "use strict";

  var job = document.getElementById("pdf-job");
  if (!job || job.dataset.status === "done" || job.dataset.status === "failed") {
    return;
  }
  var poll = function () {
    fetch(job.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        document.getElementById("pdf-label").textContent = data.label;
        document.getElementById("pdf-progress").value = data.percent;
        if (data.status === "done") {
          document.getElementById("pdf-download").hidden = false;
        } else if (data.status === "failed") {
          var error = document.getElementById("pdf-error");
          error.textContent = data.error;
          error.hidden = false;
        } else {
          setTimeout(poll, 1500);
        }
      });
  };
  setTimeout(poll, 1000);
})();
