/* Daily report form: add an item, one caption input per chosen picture, no double submit. No dependencies. */
(function () {
  "use strict";
  var form = document.querySelector("[data-report-form]");
  if (!form) return;

  function captionInputs(fileInput) {
    var box = fileInput.closest(".field").querySelector("[data-captions]");
    if (!box) return;
    var name = box.getAttribute("data-name");
    var files = fileInput.files || [];
    box.textContent = "";
    if (files.length === 0) {
      var single = document.createElement("input");
      single.type = "text"; single.name = name; single.placeholder = "图片说明（选填）";
      box.appendChild(single);
      return;
    }
    for (var i = 0; i < files.length; i++) {
      var row = document.createElement("div");
      row.className = "cap";
      var label = document.createElement("span");
      label.textContent = files[i].name;
      var input = document.createElement("input");
      input.type = "text"; input.name = name; input.placeholder = "第 " + (i + 1) + " 张图片说明";
      input.setAttribute("aria-label", files[i].name + " 的说明");
      row.appendChild(label); row.appendChild(input);
      box.appendChild(row);
    }
  }

  form.addEventListener("change", function (event) {
    if (event.target.matches("input[type=file]")) captionInputs(event.target);
  });

  var addButton = form.querySelector("[data-add-item]");
  var template = form.querySelector("template[data-empty-item]");
  var total = form.querySelector("input[name=items-TOTAL_FORMS]");
  if (addButton && template && total) {
    addButton.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__n__/g, String(index + 1));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var fieldset = holder.firstElementChild;
      form.querySelector("[data-items]").appendChild(fieldset);
      total.value = String(index + 1);
      var first = fieldset.querySelector("input[type=text]");
      if (first) first.focus();
    });
  }

  var submitting = false;
  form.addEventListener("submit", function (event) {
    // The token in the form already makes a resubmission harmless; this only spares a second upload.
    if (submitting) { event.preventDefault(); return; }
    submitting = true;
    var button = form.querySelector("[data-submit]");
    if (button) { button.textContent = "正在提交…"; button.setAttribute("aria-busy", "true"); }
  });
})();
