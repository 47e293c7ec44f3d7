// Activity form: show the date inputs for all-day activities and the datetime inputs otherwise.
(function () {
  "use strict";
  var form = document.querySelector("[data-all-day-form]");
  if (!form) return;
  var box = form.querySelector("input[name=all_day]");
  if (!box) return;
  function sync() { form.classList.toggle("is-all-day", box.checked); }
  box.addEventListener("change", sync);
  sync();
})();
