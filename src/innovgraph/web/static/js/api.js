/* The API page with JavaScript: Swagger UI (vendored, static/vendor/swagger-ui-dist/) over the
 * server's OpenAPI document replaces the plain table of operations. Nothing is fetched from
 * another host: the validator badge (validator.swagger.io) is off. */
(function () {
  "use strict";
  var mount = document.getElementById("swagger-ui");
  if (!window.SwaggerUIBundle || !window.innovgraph || !mount) return;

  // Accessibility repairs of Swagger UI 5's markup (tests/test_web_accessibility.py runs
  // axe-core): its own <main> inside the page's, a select without a name.
  var name = window.innovgraph.label;
  function repair() {
    mount.querySelectorAll("main").forEach(function (el) {
      el.setAttribute("role", "region");
      name(el, "Operations");
    });
    name(mount.querySelector("select#servers"), "Server");
    // Scrollable code blocks (responses, curl) must be reachable by keyboard to be scrolled.
    mount.querySelectorAll(".highlight-code pre, pre.microlight").forEach(function (el) {
      if (el.tabIndex < 0) el.tabIndex = 0;
    });
    mount.querySelectorAll("select").forEach(function (el) {
      var row = el.closest("tr");
      var label = row && row.querySelector(".parameter__name");
      name(el, label ? label.textContent.replace(/\*.*$/, "").trim() : "Value");
    });
    mount.querySelectorAll("input:not([type=hidden]), textarea").forEach(function (el) {
      var row = el.closest("tr");
      var label = row && row.querySelector(".parameter__name");
      name(el, label ? label.textContent.replace(/\*.*$/, "").trim() : (el.placeholder || "Value"));
    });
  }
  window.innovgraph.onChange(mount, repair);

  window.innovgraphSwagger = SwaggerUIBundle({
    url: mount.getAttribute("data-openapi"),
    domNode: mount,
    validatorUrl: null,
    deepLinking: false,   // (its path links sit inside the summary buttons: nested controls)
    supportedSubmitMethods: ["get"],
    defaultModelsExpandDepth: -1,
    displayRequestDuration: true,
    onComplete: function () { repair(); mount.setAttribute("data-ready", "true"); }
  });
  var fallback = document.getElementById("api-operations");
  if (fallback) fallback.hidden = true;
})();
