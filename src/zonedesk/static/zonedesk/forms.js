/* ZoneDesk — forms: file inputs with a translated button and the names of the chosen files
   (core/widgets.py FilePicker, templates/includes/file_picker.html). Without this script the
   browser's own file input shows (forms.css hides it only under html.js-forms). */
(function () {
  "use strict";

  document.documentElement.classList.add("js-forms");

  function showNames(input) {
    var picker = input.closest("[data-file-picker]");
    var out = picker && picker.querySelector(".file-picker-names");
    if (!out) return;
    var files = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
    out.textContent = "";
    if (!files.length) {
      out.textContent = out.dataset.none;
      out.classList.remove("has-files");
      return;
    }
    out.classList.add("has-files");
    if (files.length > 1) {
      var head = document.createElement("span");
      head.textContent = out.dataset.many.replace("{n}", String(files.length)) + " ";
      out.appendChild(head);
    }
    var list = document.createElement("ul");
    list.className = "file-picker-list";
    files.forEach(function (name) {
      var li = document.createElement("li");
      li.textContent = name;
      list.appendChild(li);
    });
    out.appendChild(list);
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input && input.classList && input.classList.contains("file-picker-input")) showNames(input);
  });

  document.addEventListener("DOMContentLoaded", function () {
    // a form shown again (the browser's back button) can keep its chosen files
    Array.prototype.forEach.call(document.querySelectorAll(".file-picker-input"), function (input) {
      if (input.files && input.files.length) showNames(input);
    });
  });
})();
