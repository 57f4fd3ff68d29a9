// The decision guide as a wizard: one question at a time, built from the static nested
// lists, with the answer path in the URL fragment ("#?path=3-1") so Back and links work.
(() => {
  "use strict";
  const tree = document.getElementById("vs-guide"), box = document.getElementById("vs-wizard");
  if (!tree || !box) return;
  // The texts shown, in the book's language: a JSON script inside the fragment when it is
  // embedded, else the page's.
  const strings = tree.closest(".vs-root").querySelector(".vs-strings") || document.querySelector(".vs-strings");
  const texts = JSON.parse(strings.textContent);
  const t = (key, args = {}) => texts[key].replace(/\{([\w-]+)\}/g, (m, name) => (name in args ? args[name] : m));
  // A text with elements for some placeholders, as nodes.
  const nodes = (key, args) => t(key).split(/\{([\w-]+)\}/).map((part, i) => (i % 2 ? args[part] : part));
  const child = (el, cls) => [...el.children].find((c) => c.classList.contains(cls));
  const answersOf = (question) => [...child(question, "vs-answers").children];

  function readPath() {
    const h = location.hash;
    if (!h.startsWith("#?")) return [];
    const path = new URLSearchParams(h.slice(2)).get("path");
    return path ? path.split("-").map(Number) : [];
  }

  // Follows the path as far as it is valid: the question reached, or the answer that ends it.
  function walk(path) {
    let question = child(tree, "vs-question"), trail = [];
    for (const step of path) {
      const answer = answersOf(question)[step - 1];
      if (!answer) break;
      trail.push(answer);
      const next = child(answer, "vs-question");
      if (!next) return { trail, answer };
      question = next;
    }
    return { trail, question };
  }

  function go(path, replace) {
    const url = location.pathname + location.search + (path.length ? "#?path=" + path.join("-") : "#");
    history[replace ? "replaceState" : "pushState"](null, "", url);
    render(true);
  }

  // The writer's inline markup is copied node by node, never parsed from a string.
  const copy = (el) => [...el.childNodes].map((n) => n.cloneNode(true));
  function button(content, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.append(...content);
    b.addEventListener("click", onClick);
    return b;
  }
  function anchor(href, text) {
    const a = document.createElement("a");
    a.setAttribute("href", href);
    a.textContent = text;
    return a;
  }

  function render(moveFocus) {
    const path = readPath(), { trail, answer, question } = walk(path);
    const valid = path.slice(0, trail.length);
    box.replaceChildren();
    const heading = document.createElement("h2");
    heading.tabIndex = -1;
    box.append(heading);
    if (trail.length) {
      const crumbs = document.createElement("p");
      crumbs.className = "vs-path";
      crumbs.textContent = t("guide-answers", { answers: trail.map((a) => child(a, "vs-answer-label").textContent).join(" → ") });
      box.append(crumbs);
    }
    if (question) {
      heading.append(...copy(child(question, "vs-question-text")));
      const choices = document.createElement("div");
      choices.className = "vs-choices";
      answersOf(question).forEach((a, i) => choices.append(button(copy(child(a, "vs-answer-label")), () => go(valid.concat(i + 1)))));
      box.append(choices);
    } else {
      const link = answer.querySelector(".vs-result a"), why = child(answer, "vs-why");
      heading.textContent = t("guide-recommended", { title: link.textContent });
      const result = document.createElement("p");
      result.append(...nodes("guide-result", {
        read: anchor(link.getAttribute("href"), t("guide-read-about", { title: link.textContent })),
        matrix: anchor(`${tree.dataset.matrix}#?models=${link.dataset.model}`, t("guide-see-in-matrix")),
      }));
      if (why) result.prepend(why.textContent + " ");
      box.append(result);
    }
    const nav = document.createElement("div");
    nav.className = "vs-wizard-nav";
    if (valid.length) {
      nav.append(button([t("guide-back")], () => go(valid.slice(0, -1))), button([t("guide-start-again")], () => go([])));
    }
    box.append(nav);
    if (moveFocus) heading.focus();
  }

  tree.hidden = true;
  box.hidden = false;
  window.addEventListener("popstate", () => render(true));
  render(false);
})();
