/* ZoneDesk — amounts of đồng as people write them ("1.500.000.000", "1,5 tỷ", "250 triệu",
   "2 tỷ 300 triệu"): under each input[data-amount], its <output data-amount-read> shows the
   amount read, grouped, while it is typed. The server reads the same text again
   (core/money.py parse_amount, the rules below mirror it) and its reading is the one kept.
   Also, on the report form: choosing another project or period before any figure was changed
   opens the form of that period (its due date and last period's figures). */
(function () {
  "use strict";

  var UNITS = Object.create(null); // no inherited keys: "5 constructor" is no unit
  function units(words, size) { words.forEach(function (w) { UNITS[w] = size; }); }
  units(["tỷ", "tỉ", "ty", "ti", "billion", "billions", "bn"], 1e9);
  units(["triệu", "trieu", "tr", "million", "millions", "mn"], 1e6);
  units(["nghìn", "nghin", "ngàn", "ngan", "k", "thousand", "thousands"], 1e3);
  units(["đồng", "dong", "đ", "vnd", "vnđ", "₫"], 1);

  var MAX_VND = BigInt("10000000000000000"); // core.money.MAX_VND
  var PART = /(\d[\d.,]*)\s*([^\d\s.,]+)?\s*/y;
  var GROUPS = { ".": /^\d{1,3}(?:\.\d{3})+$/, ",": /^\d{1,3}(?:,\d{3})+$/ };

  // A number as [whole digits, fraction digits] (exact: no floating point), or null.
  function number(digits, unit) {
    var last = digits.charAt(digits.length - 1);
    if (last === "." || last === ",") return null;
    var hasDot = digits.indexOf(".") >= 0, hasComma = digits.indexOf(",") >= 0;
    if (!hasDot && !hasComma) return [digits, ""];
    if (hasDot && hasComma) {
      var at = Math.max(digits.lastIndexOf("."), digits.lastIndexOf(","));
      var point = digits.charAt(at), group = point === "." ? "," : ".";
      var whole = digits.slice(0, at);
      if (whole.indexOf(point) >= 0 || !GROUPS[group].test(whole)) return null;
      return [whole.split(group).join(""), digits.slice(at + 1)];
    }
    var sep = hasDot ? "." : ",";
    var pieces = digits.split(sep);
    if (pieces.length > 2) return GROUPS[sep].test(digits) ? [pieces.join(""), ""] : null;
    if (pieces[1].length === 3 && pieces[0] !== "0") {
      if (!unit) return [pieces[0] + pieces[1], ""];
      return null; // "1.500 tỷ": 1,5 tỷ or 1500 tỷ? never guessed
    }
    return [pieces[0], pieces[1]];
  }

  // times 10^power, as a BigInt of đồng, or null when a fraction of a đồng is left
  function scaled(parts, size) {
    var power = Math.round(Math.log10(size));
    var fraction = parts[1];
    if (fraction.length > power) {
      if (/[^0]/.test(fraction.slice(power))) return null;
      fraction = fraction.slice(0, power);
    }
    while (fraction.length < power) fraction += "0";
    return BigInt(parts[0] + fraction);
  }

  // The amount in đồng (a BigInt) or null.
  function parseAmount(value) {
    var text = (value || "").normalize("NFC").replace(/[\s\u00a0\u202f]+/g, " ").trim().toLowerCase();
    if (!text || "-−–(".indexOf(text.charAt(0)) >= 0 || text.indexOf("âm ") === 0) return null;
    text = text.replace(/^\++/, "").replace(/(\d) (?=\d{3}(?![\d.,]))/g, "$1");
    var total = BigInt(0), lastUnit = null, pos = 0, count = 0;
    while (pos < text.length) {
      PART.lastIndex = pos;
      var m = PART.exec(text);
      if (!m) {
        if (count && UNITS[text.slice(pos).trim()] === 1) break;
        return null;
      }
      var unit = m[2] || "", size = unit ? UNITS[unit] : undefined;
      if (unit && size === undefined) return null;
      if (size === undefined && (count || PART.lastIndex < text.length)) return null;
      if (lastUnit !== null && size !== undefined && size >= lastUnit) return null;
      var parts = number(m[1], size && size > 1 ? unit : "");
      if (!parts) return null;
      var amount = scaled(parts, size || 1);
      if (amount === null) return null;
      total += amount;
      lastUnit = size === undefined ? null : size;
      pos = PART.lastIndex;
      count += 1;
    }
    return count && total <= MAX_VND ? total : null;
  }

  var lang = document.documentElement.lang || "vi";
  var grouping = lang.indexOf("en") === 0 ? "," : ".";

  function grouped(amount) {
    return amount.toString().replace(/\B(?=(\d{3})+(?!\d))/g, grouping);
  }

  function show(input) {
    var field = input.closest(".field");
    var out = field && field.querySelector("[data-amount-read]");
    if (!out) return;
    var text = input.value.trim();
    if (!text) { out.textContent = ""; out.classList.remove("is-unread"); return; }
    var amount = parseAmount(text);
    if (amount === null) {
      out.textContent = out.dataset.unread;
      out.classList.add("is-unread");
    } else {
      // already written as it would be shown ("1.500.000.000"): nothing to add
      out.textContent = text.replace(/\s+/g, "") === grouped(amount) ? "" : "= " + grouped(amount) + " " + out.dataset.unit;
      out.classList.remove("is-unread");
    }
  }

  window.zonedeskParseAmount = parseAmount; // for the browser tests

  document.addEventListener("DOMContentLoaded", function () {
    var inputs = document.querySelectorAll("input[data-amount]");
    Array.prototype.forEach.call(inputs, function (input) {
      show(input);
      input.addEventListener("input", function () { show(input); });
      input.addEventListener("blur", function () {
        // plain digits become grouped ("1500000000" → "1.500.000.000"); units stay as written
        if (/^\d{4,}$/.test(input.value.trim())) { input.value = grouped(BigInt(input.value.trim())); show(input); }
      });
    });

    var form = document.querySelector("form[data-report-form]");
    var period = form && form.querySelector("[data-period]");
    if (!period) return;
    var edited = form.hasAttribute("data-bound"); // a form sent back with its errors holds what was typed
    form.addEventListener("input", function (event) {
      if (period.contains(event.target)) return;
      edited = true;
      var field = event.target.closest(".field");
      if (field) field.classList.remove("is-prefilled");
    });
    period.addEventListener("change", function () {
      if (edited) return; // never throw away what was typed
      var query = new URLSearchParams();
      Array.prototype.forEach.call(period.querySelectorAll("select, input"), function (el) {
        if (el.name && el.value) query.set(el.name, el.value);
      });
      window.location.assign(window.location.pathname + "?" + query.toString());
    });
  });
})();
