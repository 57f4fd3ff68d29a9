// versus default theme: enhancements for every page. Every page works without this file.
(() => {
  "use strict";
  const root = document.documentElement;
  const load = (key) => { try { return localStorage.getItem(key); } catch (e) { return null; } };
  const save = (key, value) => { try { localStorage.setItem(key, value); } catch (e) { /* private mode */ } };
  // Texts in the book's language, from the page's JSON (search.js and model.js use it too).
  let plural = new Intl.PluralRules("en");
  try { plural = new Intl.PluralRules(root.lang); } catch (e) { /* a malformed lang */ }
  const t = (window.versusText = (from) => {
    const texts = JSON.parse(from.querySelector(".vs-strings").textContent);
    return (key, args = {}) => {
      let s = texts[key];
      if (s.other) s = s[plural.select(args.n)] || s.other;
      return s.replace(/\{([\w-]+)\}/g, (m, name) => (name in args ? args[name] : m));
    };
  })(document);

  // Theme: auto (the system's), light or dark, remembered. The inline script in <head>
  // applies the choice before the first paint.
  const toggle = document.getElementById("theme-toggle");
  if (toggle) {
    const themes = ["auto", "light", "dark"];
    const show = () => {
      const theme = root.dataset.theme || "auto";
      toggle.textContent = t("theme-toggle", { theme: t("theme-" + theme) });
    };
    toggle.hidden = false;
    show();
    toggle.addEventListener("click", () => {
      const next = themes[(themes.indexOf(root.dataset.theme || "auto") + 1) % themes.length];
      if (next === "auto") delete root.dataset.theme;
      else root.dataset.theme = next;
      save("versus-theme", next);
      show();
    });
  }

  // The current page's place in the navigation, scrolled into the navigation's own view
  // (not the page's) when the navigation is taller than the screen.
  const here = document.querySelector('#site-nav [aria-current="page"]');
  const nav = document.getElementById("site-nav");
  if (here && nav.scrollHeight > nav.clientHeight) {
    nav.scrollTop += here.getBoundingClientRect().top - nav.getBoundingClientRect().top - nav.clientHeight / 2;
  }

  // The navigation menu on small screens (CSS hides the button elsewhere): a disclosure
  // button, so screen readers hear "Menu, collapsed/expanded"; Escape closes it.
  const menu = document.getElementById("menu-toggle");
  if (menu && nav) {
    const setOpen = (open) => {
      menu.setAttribute("aria-expanded", open);
      nav.classList.toggle("open", open);
    };
    menu.addEventListener("click", () => setOpen(menu.getAttribute("aria-expanded") !== "true"));
    document.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || menu.getAttribute("aria-expanded") !== "true") return;
      if (!nav.contains(document.activeElement) && document.activeElement !== menu) return;
      setOpen(false);
      menu.focus();
    });
  }

  // Search: the header's button, "/" or "s" (outside text fields) and ?q=words load
  // search.js on first use; from then on it answers them itself.
  const searchToggle = document.getElementById("search-toggle");
  const searchPanel = document.getElementById("search");
  window.versusSearchShortcut = (event) => {
    if ((event.key !== "/" && event.key !== "s") || event.ctrlKey || event.metaKey || event.altKey) return false;
    if (event.target.closest && event.target.closest("input, textarea, select, [contenteditable]")) return false;
    event.preventDefault();
    return true;
  };
  if (searchToggle && searchPanel) {
    let loading = null;
    const start = (query) => {
      loading = loading || new Promise((done) => {
        const script = document.createElement("script");
        script.src = searchPanel.dataset.root + "assets/search.js";
        script.onload = done;
        document.head.append(script);
      });
      loading.then(() => window.versusSearch.open(query));
    };
    searchToggle.hidden = false;
    searchToggle.addEventListener("click", () => window.versusSearch || start());
    document.addEventListener("keydown", (event) => {
      if (!window.versusSearch && window.versusSearchShortcut(event)) start();
    });
    const query = new URLSearchParams(location.search).get("q");
    if (query) start(query);
  }

  // Code and wide tables that scroll sideways (on a phone) must be reachable by keyboard.
  for (const el of document.querySelectorAll(".highlight pre, article > table")) {
    if (el.scrollWidth > el.clientWidth) el.tabIndex = 0;
  }

  // Copy buttons. Console sessions copy only what follows the prompts.
  function copyable(pre) {
    if (!pre.querySelector(".gp")) return pre.textContent;
    const lines = [];
    let line = "", keep = false;
    for (const node of pre.querySelector("code").childNodes) {
      const cls = node.nodeType === 1 ? node.className : "";
      if (cls === "gp") { keep = true; continue; }
      if (["go", "gt", "gr"].includes(cls)) keep = false;
      for (const part of node.textContent.split(/(\n)/)) {
        if (part === "\n") {
          if (keep) lines.push(line.replace(/^ /, ""));
          line = "";
          keep = false;
        } else if (keep) line += part;
      }
    }
    if (keep && line) lines.push(line.replace(/^ /, ""));
    return lines.join("\n") + "\n";
  }
  for (const block of document.querySelectorAll(".code-block")) {
    const pre = block.querySelector("pre");
    if (!pre || !navigator.clipboard) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = t("copy");
    button.addEventListener("click", () => navigator.clipboard.writeText(copyable(pre)).then(() => {
      button.textContent = t("copied");
      setTimeout(() => (button.textContent = t("copy")), 1500);
    }));
    block.append(button);
  }

  // Code tabs: a choice selects that tab in every group, and is remembered.
  const groups = [];
  const selectEverywhere = (name) => {
    groups.forEach((select) => select(name));
    save("versus-tab", name);
  };
  document.querySelectorAll(".tabs").forEach((group, g) => {
    const panels = [...group.children].filter((el) => el.classList.contains("tab-panel"));
    const list = document.createElement("div");
    list.className = "tablist";
    list.setAttribute("role", "tablist");
    const buttons = panels.map((panel, i) => {
      const button = document.createElement("button");
      button.type = "button";
      button.id = `tab-${g}-${i}`;
      button.textContent = panel.dataset.tab;
      button.setAttribute("role", "tab");
      button.setAttribute("aria-controls", (panel.id = button.id + "-panel"));
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", button.id);
      button.addEventListener("click", () => selectEverywhere(panel.dataset.tab));
      button.addEventListener("keydown", (event) => {
        const n = panels.length, to = { ArrowRight: (i + 1) % n, ArrowLeft: (i + n - 1) % n, Home: 0, End: n - 1 }[event.key];
        if (to === undefined) return;
        event.preventDefault();
        buttons[to].focus();
        selectEverywhere(panels[to].dataset.tab);
      });
      list.append(button);
      return button;
    });
    const select = (name) => {
      if (!panels.some((p) => p.dataset.tab === name)) return false;
      panels.forEach((panel, i) => {
        const on = panel.dataset.tab === name;
        panel.hidden = !on;
        buttons[i].setAttribute("aria-selected", on);
        buttons[i].tabIndex = on ? 0 : -1;
      });
      return true;
    };
    group.prepend(list);
    group.classList.add("enhanced");
    groups.push(select);
    if (!select(load("versus-tab"))) select(panels[0].dataset.tab);
  });
})();
