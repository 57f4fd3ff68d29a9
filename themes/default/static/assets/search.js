// versus default theme: search across the book. versus.js loads this script the first time
// search opens, and this script loads the index (search-index.js, written at build time) as
// a plain script, so both work from file:// and under any sub-path, and a page that is
// never searched loads neither.
(() => {
  "use strict";
  const panel = document.getElementById("search");
  const toggle = document.getElementById("search-toggle");
  if (!panel || !toggle) return;
  const input = document.getElementById("search-input");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const root = panel.dataset.root;
  const t = window.versusText(document);
  const MAX = 20;

  // Words are runs of letters and digits, compared in lower case without accents.
  const fold = (s) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  const words = (s) => fold(s).match(/[\p{L}\p{N}]+/gu) || [];

  // The index, turned once into postings: word -> [[section, field, count]].
  const FIELDS = [["t", 6], ["h", 3], ["b", 1]];
  let docs = null, postings = null, terms = null;
  function prepare() {
    docs = window.versusSearchIndex || [];
    postings = new Map();
    docs.forEach((doc, d) => {
      FIELDS.forEach(([field], f) => {
        const counts = new Map();
        for (const word of words(doc[field])) counts.set(word, (counts.get(word) || 0) + 1);
        for (const [word, n] of counts) {
          if (!postings.has(word)) postings.set(word, []);
          postings.get(word).push([d, f, n]);
        }
      });
      doc.length = words(doc.b).length || 1;
    });
    terms = [...postings.keys()].sort();
  }

  let loading = null;
  function load() {
    if (!loading) {
      loading = new Promise((resolve) => {
        const script = document.createElement("script");
        script.src = root + "search-index.js";
        script.onload = () => { prepare(); resolve(); };
        script.onerror = () => { status.textContent = t("search-failed"); resolve(); };
        document.head.append(script);
      });
    }
    return loading;
  }

  // Index words that a query word matches: itself, and longer words it starts (as you type).
  function expand(word) {
    const out = [];
    let lo = 0, hi = terms.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (terms[mid] < word) lo = mid + 1; else hi = mid; }
    for (let i = lo; i < terms.length && terms[i].startsWith(word) && out.length < 50; i++) out.push(terms[i]);
    return out;
  }

  // Every query word must match; a section scores by where the words are (title, heading,
  // body), how rare they are, and whether they match whole or as a prefix.
  function search(query) {
    const asked = [...new Set(words(query))];
    if (!asked.length || !docs) return [];
    let scores = null;
    const matched = new Map();
    for (const word of asked) {
      const found = new Map();
      for (const term of expand(word)) {
        const hits = postings.get(term);
        const idf = Math.log(1 + docs.length / new Set(hits.map((h) => h[0])).size);
        const exact = term === word ? 1 : 0.6;
        for (const [d, f, n] of hits) {
          const tf = f === 2 ? n / (n + 1.2 * (0.25 + 0.75 * docs[d].length / 120)) : 1;
          found.set(d, (found.get(d) || 0) + FIELDS[f][1] * tf * idf * exact);
          if (!matched.has(d)) matched.set(d, new Set());
          matched.get(d).add(term);
        }
      }
      if (scores === null) scores = found;
      else for (const d of [...scores.keys()]) found.has(d) ? scores.set(d, scores.get(d) + found.get(d)) : scores.delete(d);
    }
    return [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([d]) => ({ doc: docs[d], terms: matched.get(d) }));
  }

  // The part of the text around the first matched word, with every matched word marked.
  function marked(container, value, terms, width) {
    const re = /[\p{L}\p{N}]+/gu;
    let start = 0, m;
    if (width) {
      while ((m = re.exec(value))) if (terms.has(fold(m[0]))) { start = Math.max(0, m.index - 60); break; }
      if (start > 0) start = value.indexOf(" ", start) + 1 || start;
      value = (start > 0 ? "… " : "") + value.slice(start, start + width) + (start + width < value.length ? " …" : "");
      re.lastIndex = 0;
    }
    let last = 0;
    while ((m = re.exec(value))) {
      if (!terms.has(fold(m[0]))) continue;
      container.append(value.slice(last, m.index));
      const mark = document.createElement("mark");
      mark.textContent = m[0];
      container.append(mark);
      last = m.index + m[0].length;
    }
    container.append(value.slice(last));
  }

  function show(query) {
    const results = search(query);
    list.replaceChildren();
    if (!query.trim()) { status.textContent = ""; return; }
    status.textContent = results.length ? t("search-results", { n: results.length }) : t("search-none", { query });
    for (const { doc, terms } of results.slice(0, MAX)) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = root + doc.u;
      const title = document.createElement("span");
      title.className = "search-title";
      marked(title, doc.h ? doc.t + " › " + doc.h : doc.t, terms, 0);
      const snippet = document.createElement("span");
      snippet.className = "search-snippet";
      marked(snippet, doc.b, terms, 180);
      link.append(title, snippet);
      item.append(link);
      list.append(item);
    }
  }

  let before = null;
  function open(query) {
    if (panel.hidden) before = document.activeElement;
    panel.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    if (query) input.value = query;
    input.focus();
    input.select();
    load().then(() => show(input.value));
  }
  function close() {
    panel.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    (before && before !== document.body ? before : toggle).focus();
  }

  toggle.addEventListener("click", () => (panel.hidden ? open() : close()));
  input.addEventListener("input", () => load().then(() => show(input.value)));
  const links = () => [...list.querySelectorAll("a")];
  panel.addEventListener("keydown", (event) => {
    const all = links(), at = all.indexOf(document.activeElement);
    if (event.key === "Escape") { event.preventDefault(); close(); }
    else if (event.key === "ArrowDown" && all.length) { event.preventDefault(); all[Math.min(at + 1, all.length - 1)].focus(); }
    else if (event.key === "ArrowUp" && at >= 0) { event.preventDefault(); (at === 0 ? input : all[at - 1]).focus(); }
    else if (event.key === "Enter" && document.activeElement === input && all.length) { event.preventDefault(); all[0].click(); }
  });
  // From now on this script answers the button and the "/" and "s" keys (see versus.js).
  document.addEventListener("keydown", (event) => {
    if (window.versusSearchShortcut(event)) open();
  });
  window.versusSearch = { open };
})();
