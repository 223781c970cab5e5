/* Helpers shared by the site's scripts: window.innovgraph. A page that has scripts loads this
 * file first, in its `scripts` block (pages without scripts load nothing). */
(function () {
  "use strict";
  window.innovgraph = {
    // Give a control an accessible name, unless it has one.
    label: function (el, text) {
      if (el && !el.getAttribute("aria-label")) el.setAttribute("aria-label", text);
    },
    // Run `fn` once per animation frame after anything under `root` is added or removed
    // (the vendored viewers redraw their markup; repairs are re-applied to the new nodes).
    onChange: function (root, fn) {
      var pending = false;
      new MutationObserver(function () {
        if (pending) return;
        pending = true;
        requestAnimationFrame(function () { pending = false; fn(); });
      }).observe(root, { childList: true, subtree: true });
    }
  };
})();
