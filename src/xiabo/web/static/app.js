// xiabo web: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Wizard: hide questions whose "when" condition or platform rule does not apply.
  var form = document.getElementById("wizard");
  if (form) {
    var value = function (name) {
      var els = form.querySelectorAll('[name="' + name + '"]');
      for (var i = 0; i < els.length; i++) {
        var el = els[i];
        if (el.type === "radio") { if (el.checked) return el.value; }
        else return el.value;
      }
      return "";
    };
    var update = function () {
      var platform = value("platform");
      form.querySelectorAll("fieldset.q").forEach(function (fs) {
        var show = true;
        var when = fs.getAttribute("data-when");
        if (when) {
          var parts = when.split("==");
          show = value(parts[0].trim()) === parts[1].trim();
        }
        var platforms = fs.getAttribute("data-platforms");
        if (show && platforms !== null && platform) {
          show = platforms.split(",").indexOf(platform) >= 0;
        }
        fs.classList.toggle("hidden", !show);
      });
    };
    form.addEventListener("change", update);
    update();
    var add = document.getElementById("add-device");
    if (add) {
      add.addEventListener("click", function () {
        var body = document.querySelector("#devices tbody");
        var rows = body.querySelectorAll("tr.device-row");
        var copy = rows[rows.length - 1].cloneNode(true);
        var n = rows.length;
        copy.querySelectorAll("[name]").forEach(function (el) {
          el.name = el.name.replace(/^equipment\.\d+\./, "equipment." + n + ".");
          if (el.tagName === "INPUT") el.value = "";
          else el.selectedIndex = 0;
        });
        body.appendChild(copy);
      });
    }
  }

  // Confirm before destructive buttons.
  document.querySelectorAll("[data-confirm]").forEach(function (btn) {
    btn.addEventListener("click", function (ev) {
      if (!window.confirm(btn.getAttribute("data-confirm"))) ev.preventDefault();
    });
  });

  // Select the calendar URL on focus so it is easy to copy.
  var cal = document.getElementById("calendar-url");
  if (cal) cal.addEventListener("focus", function () { cal.select(); });

  // Open the task named in the URL hash.
  if (location.hash.indexOf("#task-") === 0) {
    var el = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (el && el.tagName === "DETAILS") el.open = true;
  }
})();
