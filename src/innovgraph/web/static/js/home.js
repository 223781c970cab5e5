/* The home page's map: the colour picker and the filters, applied in place (no reload) to the
 * markers of the server-drawn SVG and to the table of the cities. Without this script the same
 * form is submitted and the server applies it (web/homemap.py); both read the same data-*
 * attributes, which hold each city's value for every colour key. */
(function () {
  "use strict";
  var form = document.getElementById("map-controls");
  var palettesNode = document.getElementById("map-palettes");
  if (!form || !palettesNode) return;
  document.documentElement.classList.add("js");
  var palettes = JSON.parse(palettesNode.textContent);
  var markers = Array.prototype.slice.call(document.querySelectorAll("#world-map .marker"));
  var rows = Array.prototype.slice.call(document.querySelectorAll("#city-table tbody tr"));
  var legend = document.getElementById("map-legend");
  var field = function (name) { return form.elements[name].value; };
  var label = function (name) {
    var select = form.elements[name];
    return select.options[select.selectedIndex].text;
  };

  function shows(el) {
    var edition = field("edition"), region = field("region"), band = field("band");
    var answer = field("answer");
    if (edition && (" " + el.dataset.editions + " ").indexOf(" " + edition + " ") < 0) return false;
    if (region && el.dataset.region !== region) return false;
    if (band && el.dataset.band !== band) return false;
    return !answer || el.dataset[field("question")] === answer;
  }

  function drawLegend(key, title, counts) {
    legend.setAttribute("aria-label", "Legend: " + title);
    legend.textContent = "";
    palettes[key].forEach(function (entry) {
      var li = document.createElement("li");
      var ns = "http://www.w3.org/2000/svg";
      var svg = document.createElementNS(ns, "svg");
      svg.setAttribute("width", "14"); svg.setAttribute("height", "14");
      svg.setAttribute("aria-hidden", "true");
      var dot = document.createElementNS(ns, "circle");
      dot.setAttribute("cx", "7"); dot.setAttribute("cy", "7"); dot.setAttribute("r", "5");
      dot.setAttribute("fill", entry[1]);
      svg.appendChild(dot);
      li.appendChild(svg);
      var n = counts[entry[0]] || 0;
      li.appendChild(document.createTextNode(" " + entry[0] + ": " + n + (n === 1 ? " city" : " cities")));
      legend.appendChild(li);
    });
  }

  function apply() {
    var key = field("colour"), title = label("colour");
    var colours = {};
    palettes[key].forEach(function (entry) { colours[entry[0]] = entry[1]; });
    var shown = 0, onMap = 0;
    markers.forEach(function (a) {
      var value = a.dataset[key], visible = shows(a);
      a.querySelector("circle").setAttribute("fill", colours[value] || "#ffffff");
      var name = a.getAttribute("aria-label").split(": ")[0];
      a.setAttribute("aria-label", name + ": " + title + ": " + value);
      a.querySelector("title").textContent = name + ": " + value;
      if (visible) { a.removeAttribute("hidden"); onMap++; } else { a.setAttribute("hidden", ""); }
    });
    var counts = {};
    rows.forEach(function (tr) {
      if (shows(tr)) {
        tr.removeAttribute("hidden");
        shown++;
        counts[tr.dataset[key]] = (counts[tr.dataset[key]] || 0) + 1;
      } else {
        tr.setAttribute("hidden", "");
      }
    });
    document.querySelector("[data-count=shown]").textContent = shown;
    document.querySelector("[data-count=on-map]").textContent = onMap;
    document.querySelector("[data-colour-label]").textContent = title;
    drawLegend(key, title, counts);
    var query = new URLSearchParams(new FormData(form));
    Array.from(query.keys()).forEach(function (k) { if (!query.get(k)) query.delete(k); });
    var search = query.toString();
    history.replaceState(null, "", search ? "?" + search : location.pathname);
  }

  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
})();
