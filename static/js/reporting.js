/* Daily report form: add an item, one caption input per chosen picture, pictures compressed in the browser before
   upload (long side 2560 px, JPEG 0.85), an upload progress bar, no double submit. No dependencies. Without this
   script the plain form still posts; the server checks and strips every picture either way. */
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

  var LONG_SIDE = 2560;
  var QUALITY = 0.85;
  var pending = 0; // pictures still being compressed; submitting waits for them

  // createImageBitmap decodes the file itself: an <img> on a blob: URL would be refused by the CSP (img-src 'self').
  // It applies the photo's EXIF orientation, so a phone's upright photo stays upright.
  function compress(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type) || typeof createImageBitmap !== "function") {
      return Promise.resolve(file);
    }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var w = bitmap.width, h = bitmap.height, scale = LONG_SIDE / Math.max(w, h);
      if (scale >= 1) { bitmap.close(); return file; }
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(w * scale); canvas.height = Math.round(h * scale);
      var ctx = canvas.getContext("2d");
      ctx.fillStyle = "#fff"; // a transparent PNG turns white, not black, as JPEG
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob) { resolve(file); return; }
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: file.lastModified }));
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return file; });
  }

  function compressInput(input) {
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.length || typeof DataTransfer === "undefined") return;
    pending += 1;
    input.setAttribute("aria-busy", "true");
    var status = input.closest(".field").querySelector("[data-compress-status]");
    if (status) status.textContent = "正在压缩图片…";
    Promise.all(files.map(compress)).then(function (smaller) {
      var transfer = new DataTransfer();
      smaller.forEach(function (file) { transfer.items.add(file); });
      input.files = transfer.files; // the form posts the compressed files
      if (status) status.textContent = "";
    }).finally(function () {
      pending -= 1;
      input.removeAttribute("aria-busy");
      if (pending === 0) form.dispatchEvent(new CustomEvent("pictures-ready"));
    });
  }

  form.addEventListener("change", function (event) {
    if (event.target.matches("input[type=file]")) {
      captionInputs(event.target);
      compressInput(event.target);
    }
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

  var progress = form.querySelector("[data-progress]");

  // Posts the form with XMLHttpRequest to show the upload's progress; the answer replaces the page as a plain post
  // would have: a redirect is followed, a refused form (400) is shown with its messages.
  function upload(button) {
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("action") || window.location.href);
    xhr.upload.addEventListener("progress", function (event) {
      if (!progress || !event.lengthComputable) return;
      var bar = progress.querySelector("progress");
      var percent = Math.round(event.loaded * 100 / event.total);
      bar.value = percent;
      progress.querySelector("[data-progress-text]").textContent = "已上传 " + percent + "%";
    });
    xhr.addEventListener("load", function () {
      // The page the post ended on (the report after its redirect, or the form again) replaces this one, and the
      // address follows it. Not a second request: the redirect's page has already shown its one-time message.
      var landed = xhr.responseURL;
      document.open();
      document.write(xhr.responseText);
      document.close();
      if (landed && landed !== window.location.href) window.history.replaceState(null, "", landed);
    });
    xhr.addEventListener("error", function () {
      // The network failed: post the plain way, which shows the browser's own error page and keeps the token.
      form.submit();
    });
    if (progress) progress.hidden = false;
    if (button) { button.textContent = "正在上传…"; }
    xhr.send(new FormData(form));
  }

  var submitting = false;
  form.addEventListener("submit", function (event) {
    // The token in the form already makes a resubmission harmless; this only spares a second upload.
    event.preventDefault();
    if (submitting) return;
    submitting = true;
    var button = form.querySelector("[data-submit]");
    if (button) { button.textContent = "正在提交…"; button.setAttribute("aria-busy", "true"); }
    if (pending > 0) {
      form.addEventListener("pictures-ready", function () { upload(button); }, { once: true });
    } else {
      upload(button);
    }
  });
})();
