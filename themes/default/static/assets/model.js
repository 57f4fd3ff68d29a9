// A model page's version selector: shows each value that has a history as it was at the
// chosen version, marking those that differ from the version the page was built for. The
// choice lives in the URL fragment (#?v=3.12), like the matrix's.
(() => {
  "use strict";
  const box = document.getElementById("version");
  if (!box) return;
  const names = [...box.options].map((o) => o.textContent), built = +box.dataset.at;
  const cells = [...document.querySelectorAll("td[data-history]")].map((td) => ({
    td, history: JSON.parse(td.dataset.history), value: td.querySelector(".value-now"),
  }));
  const upTo = (history, at) => history.filter((entry) => entry.since <= at).pop();
  const plain = (html) => {
    const t = document.createElement("template");
    t.innerHTML = html;
    return t.content.textContent;
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
      cell.value.innerHTML = shown.html;
      const differs = shown.html !== base.html;
      cell.td.classList.toggle("differs", differs);
      cell.td.querySelector(".differs-mark")?.remove();
      if (differs) {
        const mark = document.createElement("small");
        mark.className = "differs-mark";
        mark.textContent = ` (${names[built]}: ${plain(base.html)})`;
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
