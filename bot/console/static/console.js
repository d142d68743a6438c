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

  var rows = document.getElementById("queue-rows");
  if (rows) poll(function () { get(rows.getAttribute("data-poll"), function (html) { rows.innerHTML = html; }); });

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
