// A model page's version selector: shows each value that has a history as it was at the
// chosen version, marking those that differ from the version the page was built for. The
// choice lives in the URL fragment (#?v=3.12), like the matrix's.
(() => {
  "use strict";
  const box = document.getElementById("version");
  if (!box || !window.versusText) return;
  const t = window.versusText(document);
  const names = [...box.options].map((o) => o.textContent), built = +box.dataset.at;
  // Each value with a history carries every one of its values, rendered by the theme, in
  // inert <template> elements.
  const cells = [...document.querySelectorAll(".value-now")].map((value) => ({
    td: value.closest("td"), value,
    history: [...value.closest("td").querySelectorAll("template.vs-then")],
  }));
  const upTo = (history, at) => history.filter((entry) => +entry.dataset.since <= at).pop();
  // What a reader would read: the label without the scale's decorative dots.
  const plain = (entry) => {
    const copy = entry.content.cloneNode(true);
    copy.querySelectorAll("[aria-hidden]").forEach((node) => node.remove());
    return copy.textContent.trim();
  };
  let at = built;
  // Fragments that are not state (a footnote link, #note-1) leave the version alone.
  function fromUrl() {
    const h = location.hash;
    if (h === "" || h === "#") return built;
    if (!h.startsWith("#?")) return at;
    for (const part of h.slice(2).split("&")) {
      const [key, value = ""] = part.split("=");
      if (key !== "v") continue;
      try {
        const found = names.indexOf(decodeURIComponent(value));
        if (found >= 0) return found;
      } catch { /* not a version */ }
    }
    return built;
  }
  function show() {
    box.value = String(at);
    for (const cell of cells) {
      const shown = upTo(cell.history, at), base = upTo(cell.history, built);
      cell.value.replaceChildren(shown.content.cloneNode(true));
      const differs = shown.innerHTML !== base.innerHTML;
      cell.td.classList.toggle("differs", differs);
      cell.td.querySelector(".differs-mark")?.remove();
      if (differs) {
        const mark = document.createElement("small");
        mark.className = "differs-mark";
        mark.textContent = " " + t("version-differs", { version: names[built], value: plain(base) });
        cell.value.after(mark);
      }
    }
  }
  box.addEventListener("change", () => {
    at = +box.value;
    const hash = at === built ? "#" : "#?v=" + encodeURIComponent(names[at]);
    history.pushState(null, "", location.pathname + location.search + hash);
    show();
  });
  window.addEventListener("popstate", () => { at = fromUrl(); show(); });
  document.getElementById("version-pick").hidden = false;
  at = fromUrl();
  show();
})();
