// A little plain JavaScript: the pages work without it (forms post, pages reload);
// with it, the queue and the transcript refresh themselves and canned replies fill the box.
(function () {
  "use strict";
  var EVERY = 10000;

  function poll(fn) { setInterval(function () { if (!document.hidden) fn(); }, EVERY); }

  function get(url, cb) {
    var x = new XMLHttpRequest();
    x.open("GET", url);
    x.setRequestHeader("Accept", "application/json, text/html");
    x.onload = function () {
      // Logged out meanwhile (the server redirects to the login page): reload to show it.
      if (x.responseURL && x.responseURL.indexOf("/console/login") >= 0) { location.reload(); return; }
      if (x.status === 200) cb(x.responseText);
    };
    x.send();
  }

  // The queue: rows refresh, the tab title carries the count, a new emergency may beep (opt-in).
  var rows = document.getElementById("queue-rows");
  var sound = document.getElementById("sound");
  var baseTitle = document.title;
  function refs(sel) {
    return Array.prototype.map.call(rows.querySelectorAll(sel), function (r) { return r.getAttribute("data-reference"); });
  }
  function beep() {
    try {
      var A = window.AudioContext || window.webkitAudioContext, ctx = new A(), o = ctx.createOscillator();
      o.frequency.value = 880; o.connect(ctx.destination); o.start(); o.stop(ctx.currentTime + 0.4);
    } catch (e) { /* no audio: the red row and the title still show it */ }
  }
  function counted() {
    var n = refs("tr[data-reference]").length;
    document.title = (n ? "(" + n + ") " : "") + baseTitle;
    document.body.setAttribute("data-queue-count", String(n));
  }
  if (rows) {
    var known = refs("tr.p0[data-reference]");
    counted();
    if (sound) {
      sound.checked = localStorage.getItem("sm_sound") === "1";
      sound.addEventListener("change", function () { localStorage.setItem("sm_sound", sound.checked ? "1" : "0"); });
    }
    poll(function () {
      get(rows.getAttribute("data-poll"), function (html) {
        rows.innerHTML = html;
        counted();
        var now = refs("tr.p0[data-reference]");
        var fresh = now.filter(function (r) { return known.indexOf(r) < 0; });
        known = now;
        if (fresh.length && sound && sound.checked) beep();
      });
    });
  }

  var tr = document.getElementById("transcript");
  if (tr) {
    tr.scrollTop = tr.scrollHeight;
    poll(function () {
      get(tr.getAttribute("data-updates") + "?after=" + tr.getAttribute("data-last"), function (text) {
        var d = JSON.parse(text);
        if (d.html && d.html.trim()) {
          tr.insertAdjacentHTML("beforeend", d.html);
          tr.setAttribute("data-last", d.last_id);
          tr.scrollTop = tr.scrollHeight;
        }
        var v = document.getElementById("viewers");
        if (v) {
          v.hidden = !(d.viewers && d.viewers.length);
          document.getElementById("viewers-names").textContent = (d.viewers || []).join(", ");
        }
        Object.keys(d.statuses || {}).forEach(function (id) {
          var el = document.getElementById("st-" + id), st = d.statuses[id];
          if (el) { el.textContent = st.label; el.className = "delivery " + st.status; }
        });
      });
    });
  }

  var canned = document.getElementById("canned");
  if (canned) canned.addEventListener("change", function () {
    var opt = canned.options[canned.selectedIndex];
    var box = document.getElementById(canned.getAttribute("data-target"));
    if (opt && opt.getAttribute("data-text") && box) { box.value = opt.getAttribute("data-text"); box.focus(); }
  });

  Array.prototype.forEach.call(document.querySelectorAll("form[data-confirm]"), function (f) {
    f.addEventListener("submit", function (e) { if (!confirm(f.getAttribute("data-confirm"))) e.preventDefault(); });
  });
})();
