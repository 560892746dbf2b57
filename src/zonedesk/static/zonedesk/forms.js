/* ZoneDesk — forms: file inputs with a translated button and the names of the chosen files
   (core/widgets.py FilePicker, templates/includes/file_picker.html; without this script the
   browser's own file input shows: forms.css hides it only under html.js-forms), and the full
   text of a select too narrow for its chosen option. */
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

  /* A select cannot wrap its text: when the chosen option is wider than the select (a long
     project name on a phone), its full text is written under it. */
  var canvas = null;

  function textWidth(select, text) {
    canvas = canvas || document.createElement("canvas");
    var ctx = canvas.getContext("2d");
    var style = getComputedStyle(select);
    ctx.font = style.fontWeight + " " + style.fontSize + " " + style.fontFamily;
    return ctx.measureText(text).width;
  }

  function fitSelect(select) {
    if (select.multiple || select.size > 1 || !select.offsetParent) return;
    var option = select.options[select.selectedIndex];
    var text = option ? option.text.trim() : "";
    var style = getComputedStyle(select);
    var room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20; // the arrow
    var full = select.nextElementSibling && select.nextElementSibling.classList.contains("select-full")
      ? select.nextElementSibling : null;
    if (text && textWidth(select, text) > room) {
      if (!full) {
        full = document.createElement("small");
        full.className = "select-full";
        full.setAttribute("aria-hidden", "true"); // the select itself announces its value
        select.insertAdjacentElement("afterend", full);
      }
      full.textContent = text;
      select.title = text;
    } else if (full) {
      full.remove();
      select.removeAttribute("title");
    }
  }

  function fitSelects(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("select"), fitSelect);
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input && input.classList && input.classList.contains("file-picker-input")) showNames(input);
    if (input && input.tagName === "SELECT") fitSelect(input);
  });

  document.addEventListener("DOMContentLoaded", function () {
    // a form shown again (the browser's back button) can keep its chosen files
    Array.prototype.forEach.call(document.querySelectorAll(".file-picker-input"), function (input) {
      if (input.files && input.files.length) showNames(input);
    });
    fitSelects(document);
    var waiting = null;
    window.addEventListener("resize", function () {
      clearTimeout(waiting);
      waiting = setTimeout(function () { fitSelects(document); }, 150);
    });
  });
  document.addEventListener("htmx:afterSwap", function (event) { fitSelects(event.target); });
})();
