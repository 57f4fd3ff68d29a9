// For fragments embedded in other docs: follow the host page's light or dark theme by
// looking at the background behind the fragment, whatever way the host switches it
// (python-docs-theme swaps the media of its dark stylesheets).
(() => {
  "use strict";
  const roots = document.querySelectorAll(".vs-root[data-vs-embed]");
  const system = matchMedia("(prefers-color-scheme: dark)");
  const isDark = (el) => {
    for (let node = el.parentElement; node; node = node.parentElement) {
      const [r, g, b, a] = (getComputedStyle(node).backgroundColor.match(/[\d.]+/g) || []).map(Number);
      if (r !== undefined && (a === undefined || a > 0.5)) return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128;
    }
    return system.matches;
  };
  const update = () => roots.forEach((root) => { root.dataset.vsTheme = isDark(root) ? "dark" : "light"; });
  update();
  new MutationObserver(update).observe(document.documentElement, { attributes: true, subtree: true, attributeFilter: ["media", "class", "style", "data-theme", "disabled"] });
  system.addEventListener("change", update);
})();
