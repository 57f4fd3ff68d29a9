// The filterable matrix. Reads everything from the static table; the state lives in the
// URL fragment ("#?f.purpose=cpu-bound&sort=startup"), so links, reload and Back restore it.
// Levels are percent-encoded tokens, never decoded; unknown names in the URL are ignored.
(() => {
  "use strict";
  const $ = (id) => document.getElementById("vs-" + id);
  const all = (sel, el) => [...(el || document).querySelectorAll(sel)];
  const table = $("matrix"), controls = $("controls");
  if (!table || !controls) return;
  const body = table.tBodies[0];
  // The texts shown, in the book's language: a JSON script inside the fragment when it is
  // embedded, else the page's.
  const strings = table.closest(".vs-root").querySelector(".vs-strings") || document.querySelector(".vs-strings");
  const texts = JSON.parse(strings.textContent);
  // The page's lang picks the plural rules; a malformed one (an embed lives in pages of any
  // kind) would throw, and English rules stand in.
  let plural;
  try { plural = new Intl.PluralRules(document.documentElement.lang); } catch (e) { plural = new Intl.PluralRules("en"); }
  const t = (key, args = {}) => {
    let text = texts[key];
    if (text.other) text = text[plural.select(args.n)] || text.other;
    return text.replace(/\{([\w-]+)\}/g, (m, name) => (name in args ? args[name] : m));
  };
  const dims = all("thead th[data-key]", table).map((th) => ({ key: th.dataset.key, kind: th.dataset.kind, th, label: th.textContent }));
  const columns = dims.concat([{ key: "model", th: table.tHead.rows[0].cells[0] }]);
  const rows = all("tr", body).map((tr, index) => {
    const cells = {};
    for (const td of all("td", tr)) {
      cells[td.dataset.key] = { td, rank: +td.dataset.rank, levels: (td.dataset.levels || "").split(" ") };
    }
    return { tr, index, cells, slug: tr.dataset.model, title: tr.cells[0].textContent, search: tr.dataset.search };
  });
  // Versions (when the book declares them): each cell that changes carries its values,
  // rendered by the theme, in inert <template> elements.
  const versionBox = $("version");
  const versionNames = versionBox ? [...versionBox.options].map((o) => o.textContent) : [];
  const builtAt = versionBox ? +versionBox.dataset.at : 0;
  for (const row of rows) {
    for (const cell of Object.values(row.cells)) {
      const then = all("template.vs-then", cell.td);
      if (!then.length) continue;
      cell.history = then.map((t) => ({ since: +t.dataset.since, rank: +t.dataset.rank, levels: t.dataset.levels.split(" "), t }));
      cell.value = cell.td.querySelector(".vs-value");
    }
  }
  let state;

  const fresh = () => ({ f: Object.create(null), q: "", sort: "", dir: "asc", hide: [], t: false, pick: [], c: false, models: [], preset: "", v: "" });
  function parse(text) {
    const s = fresh();
    for (const part of text.split("&")) {
      const [key, value = ""] = part.split("="), list = value ? value.split(",") : [];
      if (key.startsWith("f.")) s.f[key.slice(2)] = list;
      else if (key === "q") try { s.q = decodeURIComponent(value.replace(/\+/g, " ")); } catch { /* not text */ }
      else if (key === "v") try { s.v = decodeURIComponent(value); } catch { /* not a version */ }
      else if (["sort", "dir", "preset"].includes(key)) s[key] = value;
      else if (["hide", "pick", "models"].includes(key)) s[key] = list;
      else if (key === "t" || key === "c") s[key] = value === "1";
    }
    if (!columns.some((d) => d.key === s.sort)) s.sort = "";
    s.pick = s.pick.filter((slug) => rows.some((row) => row.slug === slug));
    return s;
  }
  function serialize(s) {
    const parts = [];
    const add = (key, value) => {
      value = String(value || "");
      if (value && value !== "false") parts.push(key + "=" + value);
    };
    for (const d of dims) add("f." + d.key, s.f[d.key]);
    add("q", encodeURIComponent(s.q));
    add("sort", s.sort);
    add("dir", s.sort && s.dir === "desc" && "desc");
    for (const k of ["hide", "models", "pick"]) add(k, s[k]);
    add("t", s.t && 1);
    add("c", s.c && 1);
    add("preset", s.preset);
    add("v", encodeURIComponent(s.v));
    return parts.join("&");
  }
  // Fragments that are not state (a footnote link, #note-1) leave the state alone.
  function fromUrl() {
    const h = location.hash;
    if (h === "" || h === "#") return fresh();
    return h.startsWith("#?") ? parse(h.slice(2)) : null;
  }
  // A discrete change gets a history entry; typing replaces the current one.
  function commit(replace) {
    const text = serialize(state);
    if (location.hash.slice(2) !== text) {
      const url = location.pathname + location.search + (text ? "#?" + text : "#");
      history[replace ? "replaceState" : "pushState"](null, "", url);
    }
    render();
  }

  // Does a row pass every filter, leaving out the facet `except`?
  function passes(row, except) {
    if (state.q && !row.search.includes(state.q.toLowerCase())) return false;
    if (state.models.length && !state.models.includes(row.slug)) return false;
    if (state.c && !state.pick.includes(row.slug)) return false;
    return dims.every((d) => {
      const want = state.f[d.key];
      return d.key === except || !want || !want.length || row.cells[d.key].levels.some((l) => want.includes(l));
    });
  }

  // Scales sort by their declared order, text alphabetically; n/a always last.
  function sorted() {
    const key = state.sort, dir = state.dir === "desc" ? -1 : 1;
    const text = dims.some((d) => d.key === key && d.kind === "text");
    return rows.slice().sort((a, b) => {
      if (!key) return a.index - b.index;
      if (key === "model") return dir * a.title.localeCompare(b.title) || a.index - b.index;
      const ca = a.cells[key], cb = b.cells[key];
      if ((ca.rank < 0) !== (cb.rank < 0)) return ca.rank < 0 ? 1 : -1;
      const diff = text ? ca.td.textContent.localeCompare(cb.td.textContent) : ca.rank - cb.rank;
      return dir * diff || a.index - b.index;
    });
  }

  // Shows every cell as at the selected version, marking those that differ from the
  // version the page was built for; filters, counts and sorting then follow.
  function showVersion() {
    if (!versionBox) return;
    let at = versionNames.indexOf(state.v);
    if (at < 0) at = builtAt;
    versionBox.value = String(at);
    const plain = (entry) => {
      const copy = entry.t.content.cloneNode(true);
      copy.querySelectorAll("[aria-hidden]").forEach((node) => node.remove());
      return copy.textContent.trim();
    };
    for (const row of rows) {
      for (const cell of Object.values(row.cells)) {
        if (!cell.history) continue;
        const upTo = (i) => cell.history.filter((entry) => entry.since <= i).pop();
        const shown = upTo(at), built = upTo(builtAt);
        cell.value.replaceChildren(shown.t.content.cloneNode(true));
        cell.levels = shown.levels;
        cell.rank = shown.rank;
        const differs = shown.t.innerHTML !== built.t.innerHTML;
        cell.td.classList.toggle("vs-differs", differs);
        cell.td.querySelector(".vs-differs-mark")?.remove();
        if (differs) {
          const mark = document.createElement("small");
          mark.className = "vs-differs-mark";
          mark.textContent = " " + t("version-differs", { version: versionNames[builtAt], value: plain(built) });
          cell.value.after(mark);
        }
      }
    }
    const caption = table.querySelector(".vs-caption-version");
    if (caption) caption.textContent = versionNames[at];
  }

  function render() {
    showVersion();
    const order = sorted(), shown = order.filter((row) => passes(row));
    for (const row of order) {
      body.appendChild(row.tr);
      row.tr.hidden = !shown.includes(row);
      const box = row.tr.querySelector(".vs-pick");
      box.checked = state.pick.includes(row.slug);
      box.disabled = !box.checked && state.pick.length >= 3;
    }
    for (const box of all("input[data-facet]", controls)) {
      const key = box.dataset.facet;
      box.checked = (state.f[key] || []).includes(box.value);
      const n = rows.filter((row) => passes(row, key) && row.cells[key].levels.includes(box.value)).length;
      box.parentNode.querySelector(".vs-count").textContent = `(${n})`;
    }
    for (const d of columns) {
      if (d.key === state.sort) d.th.setAttribute("aria-sort", state.dir === "desc" ? "descending" : "ascending");
      else d.th.removeAttribute("aria-sort");
    }
    for (const cell of all("[data-key]", table)) {
      cell.hidden = state.hide.includes(cell.dataset.key);
      cell.toggleAttribute("data-hidden-column", cell.hidden);
    }
    for (const box of all("input[data-column]", controls)) box.checked = !state.hide.includes(box.dataset.column);
    $("search").value = state.q;
    $("transpose").setAttribute("aria-pressed", state.t);
    const compare = $("compare");
    compare.disabled = state.pick.length < 2 && !state.c;
    compare.setAttribute("aria-pressed", state.c);
    compare.textContent = state.pick.length ? t("matrix-compare-count", { n: state.pick.length }) : t("matrix-compare");
    for (const b of all(".vs-preset", controls)) b.setAttribute("aria-pressed", b.dataset.preset === state.preset);
    const why = $("preset-why"), preset = controls.querySelector('.vs-preset[aria-pressed="true"]');
    if (why) {
      why.hidden = !preset;
      why.textContent = preset ? t("matrix-preset-why", { preset: preset.textContent, why: preset.dataset.why }) : "";
    }
    transpose(shown);
    $("status").textContent = t("matrix-status", { n: shown.length, total: rows.length });
    const empty = $("empty");
    empty.hidden = shown.length > 0;
    empty.textContent = shown.length ? "" : loosen();
  }

  // Names the filter whose removal brings back the most models.
  function loosen() {
    const saved = state;
    const tries = dims.filter((d) => (saved.f[d.key] || []).length).map((d) => [t("matrix-loosen-filter", { dimension: d.label }), (s) => delete s.f[d.key]]);
    if (saved.q) tries.push([t("matrix-loosen-search", { query: saved.q }), (s) => (s.q = "")]);
    if (saved.models.length) tries.push([t("matrix-loosen-guide"), (s) => (s.models = [])]);
    if (saved.c) tries.push([t("matrix-loosen-compare"), (s) => (s.c = false)]);
    let best = null;
    for (const [name, drop] of tries) {
      state = parse(serialize(saved));
      drop(state);
      const n = rows.filter((row) => passes(row)).length;
      if (!best || n > best.n) best = { n, name };
    }
    state = saved;
    return best ? t("matrix-loosen", { filter: best.name, n: best.n }) : t("matrix-none");
  }

  // Models as columns (the 2015 layout); also how a comparison is shown.
  function transpose(shown) {
    const box = $("transposed"), on = state.t || state.c;
    box.hidden = !on;
    $("scroll").hidden = on;
    box.replaceChildren();
    if (!on) return;
    // Cells copied without ids and pick boxes; labels as text.
    const make = (tag, props, from) => {
      const el = Object.assign(document.createElement(tag), props);
      if (from) el.append(...[...from.childNodes].map((n) => n.cloneNode(true)));
      for (const x of el.querySelectorAll("[id], input")) x.tagName === "INPUT" ? x.remove() : x.removeAttribute("id");
      return el;
    };
    const head = (scope, textContent) => make("th", { scope, className: "vs-model-col", textContent });
    const grid = make("table", { className: "vs-matrix" });
    grid.createCaption().textContent = t(state.c ? "matrix-side-by-side" : "matrix-transposed", { n: shown.length });
    const top = grid.createTHead().insertRow(), body = grid.createTBody();
    top.append(head("col", t("matrix-dimension-column")), ...shown.map((row) => make("th", { scope: "col" }, row.tr.cells[0])));
    for (const d of dims) {
      if (state.hide.includes(d.key)) continue;
      body.insertRow().append(head("row", d.label), ...shown.map((row) => make("td", {}, row.cells[d.key].td)));
    }
    box.append(grid);
  }

  const toggle = (list, value) => (list.includes(value) ? list.splice(list.indexOf(value), 1) : list.push(value));

  // Sort buttons, pick boxes, then the controls.
  for (const d of columns) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "vs-sort";
    button.textContent = d.th.textContent;
    button.setAttribute("aria-label", t("matrix-sort", { column: d.th.textContent }));
    d.th.replaceChildren(button);
    button.addEventListener("click", () => {
      state.dir = state.sort === d.key && state.dir === "asc" ? "desc" : "asc";
      state.sort = d.key;
      commit();
    });
  }
  for (const row of rows) {
    const box = document.createElement("input");
    box.type = "checkbox";
    box.className = "vs-pick";
    box.setAttribute("aria-label", t("matrix-pick", { title: row.title }));
    box.addEventListener("change", () => {
      toggle(state.pick, row.slug);
      if (state.pick.length < 2) state.c = false;
      commit();
    });
    row.tr.cells[0].prepend(box);
  }
  controls.addEventListener("change", ({ target }) => {
    if (target.dataset.facet) {
      toggle((state.f[target.dataset.facet] ||= []), target.value);
      state.preset = "";
    } else if (target.dataset.column) {
      toggle(state.hide, target.dataset.column);
    } else return;
    commit();
  });
  $("search").addEventListener("input", ({ target }) => {
    state.q = target.value.trim();
    state.preset = "";
    commit(true);
  });
  $("transpose").addEventListener("click", () => { state.t = !state.t; commit(); });
  $("compare").addEventListener("click", () => { state.c = !state.c; commit(); });
  $("reset").addEventListener("click", () => { state = fresh(); commit(); });
  for (const button of all(".vs-preset", controls)) {
    button.addEventListener("click", () => {
      state = Object.assign(parse(button.dataset.state), { hide: state.hide, preset: button.dataset.preset, v: state.v });
      commit();
    });
  }
  if (versionBox) {
    versionBox.addEventListener("change", () => {
      const name = versionNames[+versionBox.value];
      state.v = +versionBox.value === builtAt ? "" : name;
      commit();
    });
  }
  window.addEventListener("popstate", () => {
    const s = fromUrl();
    if (s) { state = s; render(); }
  });
  state = fromUrl() || fresh();
  controls.hidden = false;
  render();
  // The filters start folded on a phone, and on versus's own matrix page wherever they
  // would push the table's first row below the first screen (measured before the first
  // paint, so nothing jumps). Embedded in other docs, the matrix is wherever the host put it.
  const firstRow = table.tBodies[0].rows[0];
  const embedded = table.closest("[data-vs-embed]");
  if (matchMedia("(max-width: 48rem)").matches || (!embedded && firstRow && firstRow.getBoundingClientRect().bottom > innerHeight)) controls.querySelector(".vs-facets").open = false;
})();
