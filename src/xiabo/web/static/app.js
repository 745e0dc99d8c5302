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
          var neg = when.indexOf("!=") >= 0;
          var parts = when.split(neg ? "!=" : "==");
          var want = parts[1].trim();
          if (want === "null") want = "";
          var got = value(parts[0].trim());
          show = neg ? (got !== "" && got !== want) : got === want;
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
        var body = document.getElementById("devices");
        var rows = body.querySelectorAll(".device-row");
        var copy = rows[rows.length - 1].cloneNode(true);
        var n = rows.length;
        copy.querySelectorAll("[name]").forEach(function (el) {
          el.name = el.name.replace(/^equipment\.\d+\./, "equipment." + n + ".");
          if (el.tagName === "INPUT") el.value = "";
          else el.selectedIndex = 0;
        });
        var legend = copy.querySelector("legend");
        if (legend) legend.textContent = legend.textContent.replace(/\d+/, String(n + 1));
        body.appendChild(copy);
        var first = copy.querySelector("input");
        if (first) first.focus();
      });
    }
  }

  // What a part of the page needs once it is in place: the whole page at first, a folded
  // section again when it arrives alone (below).
  var enhance = function (root) {
    // Confirm before destructive buttons.
    root.querySelectorAll("[data-confirm]").forEach(function (btn) {
      btn.addEventListener("click", function (ev) {
        if (!window.confirm(btn.getAttribute("data-confirm"))) ev.preventDefault();
      });
    });
    // Select the calendar URL on focus so it is easy to copy.
    var cal = root.querySelector("#calendar-url");
    if (cal) cal.addEventListener("focus", function () { cal.select(); });
    root.querySelectorAll(".gantt-wrap").forEach(followLabels);
  };

  // Open the element named in the URL hash and every folded section around it, so that a
  // link to a task (「去处理」) or to a section shows it, highlighted by :target.
  var reveal = function (id) {
    var el = id && document.getElementById(id);
    if (!el) return null;
    for (var node = el; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
    return el;
  };
  var fromHash = function () {
    var el = reveal(decodeURIComponent(location.hash.slice(1)));
    if (el) el.scrollIntoView({block: "start"});
  };
  if (location.hash) fromHash();
  window.addEventListener("hashchange", fromHash);
  // Section tabs and task links work without JavaScript (the server opens ?show= / ?task=);
  // with it they open in place, without a reload.
  document.querySelectorAll("a[data-open]").forEach(function (link) {
    link.addEventListener("click", function (ev) {
      var id = link.getAttribute("data-open");
      var el = document.getElementById(id);
      // a folded section not sent yet arrives on its own (below); a folded task's link asks
      // the server for the page with it opened (?task=)
      var fetched = el && el.tagName === "DETAILS" && window.fetch;
      if (!el || (el.hasAttribute("data-lazy") && !fetched)) return;
      ev.preventDefault();
      if (location.hash === "#" + id) fromHash(); else location.hash = id;
    });
  });

  // A folded section is sent only when opened: tapping it open fetches the section alone and
  // puts it in place, so the page stays where it is. If that fails, its link opens the page
  // with the section, as without JavaScript.
  document.querySelectorAll("details[data-lazy]").forEach(function (fold) {
    fold.addEventListener("toggle", function () {
      var link = fold.querySelector("a.lazy-open");
      if (!fold.open || !link || fold.hasAttribute("aria-busy")) return;
      var url = link.getAttribute("data-fold");
      if (!url || !window.fetch) { location.href = link.href; return; }
      fold.setAttribute("aria-busy", "true");
      fetch(url, {credentials: "same-origin", headers: {"Accept": "text/html"}})
        .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.text(); })
        .then(function (html) {
          var box = document.createElement("div");
          box.innerHTML = html;
          var body = box.querySelector(".body");
          var old = fold.querySelector(".body");
          if (!body || !old) throw new Error("no section");
          old.replaceWith(body);
          fold.removeAttribute("data-lazy");
          fold.removeAttribute("aria-busy");
          enhance(body);
          if (fold.id === "timeline") scrollGantt();
          if (location.hash === "#" + fold.id) fold.scrollIntoView({block: "start"});
        })
        .catch(function () { location.href = link.href; });
    });
  });

  // The timeline opens on a window around today: scroll its box so today sits near the left.
  var scrollGantt = function () {
    document.querySelectorAll(".gantt-wrap").forEach(function (wrap) {
      var svg = wrap.querySelector("svg.gantt");
      if (!svg || !wrap.clientWidth) return;
      var at = parseFloat(svg.getAttribute("data-today") || "0");
      wrap.scrollLeft = Math.max(0, at * svg.getBoundingClientRect().width - wrap.clientWidth * 0.25);
      wrap.dispatchEvent(new Event("xiabo:placed"));
    });
  };
  // Keep each task's name in view while the chart scrolls (a name starts at its bar).
  function followLabels(wrap) {
    var svg = wrap.querySelector("svg.gantt");
    if (!svg) return;
    var labels = svg.querySelectorAll("text.label[data-x]");
    var full = svg.viewBox.baseVal.width;
    var pending = false;
    var place = function () {
      pending = false;
      var scale = svg.getBoundingClientRect().width / full;
      if (!scale) return;
      var left = wrap.scrollLeft / scale + 4;
      var right = (wrap.scrollLeft + wrap.clientWidth) / scale - 4;
      for (var i = 0; i < labels.length; i++) {
        var label = labels[i];
        var x = parseFloat(label.getAttribute("data-x"));
        var w = label.getComputedTextLength();
        label.setAttribute("x", String(Math.max(left, Math.min(x, right - w))));
      }
    };
    wrap.addEventListener("scroll", function () {
      if (!pending) { pending = true; window.requestAnimationFrame(place); }
    });
    wrap.addEventListener("xiabo:placed", place);
  }
  enhance(document);
  scrollGantt();
  var timeline = document.getElementById("timeline");
  if (timeline) timeline.addEventListener("toggle", scrollGantt);

  // Print everything, folded sections included.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
})();
