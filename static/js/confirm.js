/* Confirm what cannot be undone: any form, or submit button, marked data-confirm="…" asks in a native <dialog>.
   data-confirm-ok: the confirm button's words (default 确认).
   data-confirm-reason: a required reason is asked for and posted as the form's "reason" field.
   data-confirm-unanswered: a selector of question groups; "{n}" in the message is the number without a checked input,
   and with none unanswered the form submits without asking. No libraries; without JS the server still asks. */
(function () {
  "use strict";
  if (typeof HTMLDialogElement === "undefined") return; // old browsers: the plain post, the server's own checks

  var dialog = document.createElement("dialog");
  dialog.className = "confirm-dialog";
  dialog.setAttribute("aria-labelledby", "confirm-dialog-message");
  dialog.innerHTML =
    '<form method="dialog" class="confirm-dialog-form">' +
    '<p id="confirm-dialog-message" class="confirm-dialog-message"></p>' +
    '<div class="confirm-dialog-reason" hidden><label for="confirm-dialog-reason"></label>' +
    '<textarea id="confirm-dialog-reason" rows="3" maxlength="500"></textarea>' +
    '<p class="confirm-dialog-error" role="alert" hidden>请填写原因。</p></div>' +
    '<div class="actions"><button type="submit" value="ok" class="btn primary confirm-dialog-ok">确认</button>' +
    '<button type="submit" value="cancel" class="btn confirm-dialog-cancel" formnovalidate>返回</button></div>' +
    "</form>";
  var message = dialog.querySelector(".confirm-dialog-message");
  var reasonBox = dialog.querySelector(".confirm-dialog-reason");
  var reasonLabel = reasonBox.querySelector("label");
  var reasonInput = reasonBox.querySelector("textarea");
  var reasonError = reasonBox.querySelector(".confirm-dialog-error");
  var ok = dialog.querySelector(".confirm-dialog-ok");
  var pending = null; // {form, submitter, needsReason}

  var attach = function () { if (!dialog.isConnected) document.body.appendChild(dialog); };

  var source = function (form, submitter) {
    if (submitter && submitter.hasAttribute("data-confirm")) return submitter;
    return form.hasAttribute("data-confirm") ? form : null;
  };

  var unanswered = function (form, selector) {
    var n = 0;
    form.querySelectorAll(selector).forEach(function (group) { if (!group.querySelector("input:checked")) n += 1; });
    return n;
  };

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method === "dialog") return;
    if (form.dataset.confirmed === "1") { delete form.dataset.confirmed; return; }
    var el = source(form, event.submitter);
    if (!el) return;
    var text = el.getAttribute("data-confirm");
    var selector = el.getAttribute("data-confirm-unanswered");
    if (selector) {
      var n = unanswered(form, selector);
      if (n === 0) return; // everything answered: nothing to confirm
      text = text.replace("{n}", String(n));
    }
    // Stop the post and every other submit listener (e.g. one that disables the button) until it is confirmed.
    event.preventDefault();
    event.stopImmediatePropagation();
    var reason = el.getAttribute("data-confirm-reason");
    message.textContent = text;
    ok.textContent = el.getAttribute("data-confirm-ok") || "确认";
    reasonBox.hidden = !reason;
    reasonError.hidden = true;
    reasonInput.required = !!reason;
    reasonInput.value = "";
    reasonLabel.textContent = reason || "";
    pending = { form: form, submitter: event.submitter || null, needsReason: !!reason };
    attach();
    dialog.returnValue = "";
    dialog.showModal();
    if (reason) reasonInput.focus(); else ok.focus();
  }, true);

  ok.addEventListener("click", function (event) {
    if (pending && pending.needsReason && !reasonInput.value.trim()) {
      event.preventDefault(); // keep the dialog open and say why
      reasonError.hidden = false;
      reasonInput.focus();
    }
  });

  dialog.addEventListener("close", function () {
    var job = pending;
    pending = null;
    if (!job || dialog.returnValue !== "ok") return;
    if (job.needsReason) {
      var field = job.form.querySelector('input[name="reason"]');
      if (!field) {
        field = document.createElement("input");
        field.type = "hidden";
        field.name = "reason";
        job.form.appendChild(field);
      }
      field.value = reasonInput.value.trim();
    }
    job.form.dataset.confirmed = "1";
    // requestSubmit keeps the pressed button's name and value and runs the page's own submit listeners.
    if (job.form.requestSubmit) job.form.requestSubmit(job.submitter || undefined);
    else job.form.submit();
  });
})();
