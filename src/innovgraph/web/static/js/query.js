/* The query page with JavaScript: YASGUI (vendored, static/vendor/yasgui/) replaces the form.
 *
 * Progressive enhancement: the page is a working <form> without this script; when YASGUI has
 * loaded, the form is hidden and the editor starts with the form's text (an example, the
 * default query, or the query that failed). Everything stays on this server: the endpoint is
 * the form's own action, prefix completion uses the server's default prefixes (the
 * #sparql-config block, from innovgraph.namespaces.DEFAULT_PREFIXES), and the class and
 * property completers, which ask Linked Open Vocabularies over the network, are off.
 * Keyboard: Ctrl+Enter runs the query; Esc leaves the editor, so Tab moves on (CodeMirror
 * keeps Tab for indentation).
 */
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  var mount = document.getElementById("yasgui");
  var source = document.getElementById("sparql-config");
  if (!window.Yasgui || !window.innovgraph || !form || !mount || !source) return;
  var config = JSON.parse(source.textContent);
  var text = document.getElementById("query").value;
  var prefixes = Object.keys(config.prefixes).sort().map(function (p) {
    return p + ": <" + config.prefixes[p] + ">";
  });
  Yasgui.Yasqe.Autocompleters.prefixes.get = function () { return Promise.resolve(prefixes); };

  // The server's errors are {"error": <one line>, "status": <code>}: show the line.
  function renderError(error) {
    var message = error && error.text, status = error && error.status;
    try {
      var body = JSON.parse(error.text);
      message = body.error || message;
      status = body.status || status;
    } catch (e) { /* not JSON: shown as it is */ }
    if (!message) return undefined;
    var box = document.createElement("p");
    box.className = "error-line";
    box.setAttribute("role", "alert");
    box.textContent = (status ? "Error " + status + ": " : "Error: ") + message;
    return Promise.resolve(box);
  }

  Yasgui.Yasr.defaults.errorRenderers = [renderError];  // (a tab's YASR reads the defaults)
  mount.hidden = false;  // before YASGUI measures its editor
  var yasgui = new Yasgui(mount, {
    persistenceId: null,       // the page's URL is the state: ?example=NAME, ?query=...
    populateFromUrl: false,
    autofocus: false,
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: form.action }]; } },
    requestConfig: { endpoint: form.action, method: "POST" },
    yasqe: {
      value: text,
      autocompleters: ["prefixes", "variables"],
      viewportMargin: Infinity,  // every line drawn: the editor grows with its text (query.css)
      resizeable: false,
      extraKeys: {
        "Esc": function (cm) { cm.getInputField().blur(); }
      }
    },
    yasr: { prefixes: config.prefixes }
  });
  var tab = yasgui.getTab();
  if (tab && tab.getQuery() !== text) tab.setQuery(text);

  // Accessibility repairs of YASGUI 4.6's markup (tests/test_web_accessibility.py runs axe-core).
  var name = window.innovgraph.label;
  function repair() {
    // The "add tab" button sits inside the tablist, where only tabs may be: move it after the
    // list (YASGUI then appends new tabs at the end of the list, as before).
    var tabs = yasgui.tabElements;
    if (tabs && tabs.addTabEl && tabs._tabsListEl && tabs.addTabEl.parentNode === tabs._tabsListEl) {
      tabs.addTabEl.classList.add("addTabWrapper");
      tabs._tabsListEl.parentNode.insertBefore(tabs.addTabEl, tabs._tabsListEl.nextSibling);
      tabs.addTabEl = null;
    }
    if (tabs && tabs._tabsListEl) name(tabs._tabsListEl, "Query tabs");
    // The endpoint is this server's (the page's Content-Security-Policy allows no other).
    mount.querySelectorAll("input.autocomplete").forEach(function (el) {
      name(el, "SPARQL endpoint");
      el.readOnly = true;
    });
    mount.querySelectorAll("button.clearEndpointBtn").forEach(function (el) { el.hidden = true; });
    mount.querySelectorAll(".tabsList input[type=text]").forEach(function (el) { name(el, "Tab name"); });
    mount.querySelectorAll(".CodeMirror textarea").forEach(function (el) { name(el, "SPARQL query (Esc, then Tab, leaves the editor)"); });
    mount.querySelectorAll(".yasr select.tableSizer").forEach(function (el) { name(el, "Rows per page"); });
    mount.querySelectorAll(".yasr input.tableFilter").forEach(function (el) { name(el, "Filter query results"); });
    mount.querySelectorAll(".yasr thead th").forEach(function (el) {
      if (el.textContent.trim()) return;
      var text = document.createElement("span");
      text.className = "visually-hidden";
      text.textContent = "Row";
      el.appendChild(text);
    });
    mount.querySelectorAll(".tabMenu .selector").forEach(function (box) {
      var label = box.querySelector("label");
      name(box.querySelector("select"), "Accept header, " + (label ? label.textContent : "results"));
    });
    mount.querySelectorAll(".tabMenu .textSetting").forEach(function (box) {
      var label = box.querySelector("label");
      box.querySelectorAll("input").forEach(function (el, i) {
        name(el, (label ? label.textContent : "Setting") + " " + (i + 1));
      });
    });
  }
  repair();
  ["tabAdd", "tabSelect", "tabChange", "queryResponse"].forEach(function (event) {
    yasgui.on(event, function () { setTimeout(repair, 0); });
  });
  window.innovgraph.onChange(mount, repair);

  // Links to innovgraph IRIs in the results go to this server's page for them (as in the
  // server's own tables, web/templates.py local_path), not to w3id.org.
  var BASE = "https://w3id.org/innovgraph/";
  mount.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.href.indexOf(BASE) !== 0) return;
    var rest = link.href.slice(BASE.length);
    if (/^(id\/|vocab|ontology)/.test(rest)) link.href = "/" + rest;
  });

  // The server's error line (a failed query sent without JavaScript) goes with the next run.
  yasgui.on("query", function () {
    var stale = document.getElementById("query-error");
    if (stale) stale.remove();
  });

  form.hidden = true;
  var hint = document.getElementById("editor-hint");
  if (hint) hint.hidden = false;
  window.innovgraphYasgui = yasgui;  // for the browser tests and the console
})();
