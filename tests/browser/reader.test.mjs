// What a reader expects of any docs site, in a real browser: pages that fit a phone, a
// navigation menu on small screens, the matrix's table in the first screen.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { build, serve, launch, openPage, htmlPages, repo } from "./helpers.mjs";

const require = createRequire(import.meta.url);
let browser, fixture, shipped, labelled, fixtureServer, shippedServer;
before(async () => {
  fixture = build(join(repo, "tests/fixtures/browser"));
  // The fixture with labels for its purpose levels, as a book may give them in book.toml.
  const book = join(mkdtempSync(join(tmpdir(), "versus-labels-")), "book");
  cpSync(join(repo, "tests/fixtures/browser"), book, { recursive: true });
  const toml = readFileSync(join(book, "book.toml"), "utf8")
    .replace('levels = ["cpu", "io"]', 'levels = [{ key = "cpu", label = "CPU-bound" }, { key = "io", label = "I/O-bound" }]');
  writeFileSync(join(book, "book.toml"), toml);
  labelled = build(book);
  shipped = build(repo);
  fixtureServer = await serve(fixture);
  shippedServer = await serve(shipped, "/docs/");
  browser = await launch();
});
after(async () => { await browser?.close(); fixtureServer?.close(); shippedServer?.close(); });

const books = () => [["fixture", fixture, fixtureServer.base], ["shipped", shipped, shippedServer.base]];
const phone = { viewport: { width: 390, height: 844 } };

test("at 390 px no page is wider than the screen", async () => {
  for (const [label, dir, base] of books()) {
    const page = await openPage(browser, phone);
    for (const path of htmlPages(dir)) {
      await page.goto(base + path);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(wide <= 390, `${label} ${path} is ${wide} px wide`);
    }
    await page.context().close();
  }
});

test("on a phone the navigation is a menu that opens on demand, from the keyboard too", async () => {
  const page = await openPage(browser, phone);
  await page.goto(shippedServer.base + "models/threads/index.html");
  const menu = page.locator("#menu-toggle");
  assert.equal(await page.isVisible("#site-nav"), false, "the navigation starts closed");
  assert.equal(await menu.getAttribute("aria-expanded"), "false");
  assert.equal(await menu.getAttribute("aria-controls"), "site-nav");
  await menu.focus();
  await page.keyboard.press("Enter");
  assert.equal(await page.isVisible("#site-nav"), true);
  assert.equal(await menu.getAttribute("aria-expanded"), "true");
  let inMenu = false;
  for (let i = 0; i < 4 && !inMenu; i++) {
    await page.keyboard.press("Tab");
    inMenu = await page.evaluate(() => document.activeElement.closest("#site-nav") !== null);
  }
  assert.ok(inMenu, "Tab reaches the open menu's links (after the title and the header's buttons)");
  await page.keyboard.press("Escape");
  assert.equal(await page.isVisible("#site-nav"), false, "Escape closes it");
  assert.equal(await page.evaluate(() => document.activeElement.id), "menu-toggle", "and focus returns to the button");
  await menu.click();
  await page.click('#site-nav a[href$="matrix/index.html"]');
  assert.match(page.url(), /matrix\/index\.html$/);
  await page.context().close();

  const desktop = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  await desktop.goto(shippedServer.base + "models/threads/index.html");
  assert.equal(await desktop.isVisible("#menu-toggle"), false, "no menu button on a desktop");
  assert.equal(await desktop.isVisible("#site-nav"), true);
  await desktop.context().close();

  const noScript = await openPage(browser, { ...phone, javaScriptEnabled: false });
  await noScript.goto(shippedServer.base + "models/threads/index.html");
  assert.equal(await noScript.isVisible("#site-nav"), true, "without JavaScript the navigation is simply shown");
  assert.equal(await noScript.isVisible("#menu-toggle"), false);
  await noScript.context().close();
});

test("the matrix's first row is in the first screen, on a desktop and a phone", async () => {
  for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
    for (const [label, , base] of books()) {
      const page = await openPage(browser, { viewport });
      await page.goto(base + "matrix/index.html");
      await page.waitForSelector("#vs-controls:not([hidden])");
      const bottom = await page.$eval("#vs-matrix tbody tr", (row) => row.getBoundingClientRect().bottom);
      assert.ok(bottom <= viewport.height, `${label} at ${viewport.width}x${viewport.height}: the first row ends at ${bottom} px`);
      await page.context().close();
    }
  }
});

const fileUrl = (dir, path) => pathToFileURL(join(dir, path)).href;
const results = (page) => page.$$eval("#search-results a", (links) => links.map((a) => ({
  href: a.getAttribute("href"), title: a.querySelector(".search-title").textContent,
  marks: [...a.querySelectorAll("mark")].map((m) => m.textContent.toLowerCase()),
})));
async function searchFor(page, words) {
  await page.fill("#search-input", words);
  await page.waitForFunction(() => document.getElementById("search-status").textContent !== "");
  return results(page);
}

test("search from file://: values, notes, pros and cons, ranked, with the matched words marked, by keyboard alone", async () => {
  const page = await openPage(browser);
  const requested = [];
  page.on("request", (request) => requested.push(request.url()));
  await page.goto(fileUrl(fixture, "models/alpha/index.html"));
  assert.equal(requested.some((url) => /search(-index)?\.js$/.test(url)), false, "the search script and index load only when search opens");
  await page.keyboard.press("/");
  // The first use loads search.js, which then opens the panel and focuses the field.
  await page.waitForFunction(() => document.activeElement.id === "search-input");
  assert.equal(await page.isVisible("#search"), true);
  assert.equal(await page.evaluate(() => document.activeElement.id), "search-input", "/ focuses the search field");
  assert.equal(await page.getAttribute("#search-toggle", "aria-expanded"), "true");

  let found = await searchFor(page, "zebra");
  assert.deepEqual(found[0], { href: "../../models/beta/index.html#values", title: "Beta › At a glance", marks: ["zebra"] }, "a note in the matrix");
  found = await searchFor(page, "contag");
  assert.equal(found[0].title, "Gamma › Cons", "a con, matched as the start of a word");
  assert.deepEqual(found[0].marks, ["contagious"]);
  found = await searchFor(page, "Scales machine");
  assert.deepEqual(found.map((r) => r.title), ["Delta › Pros"], "every word must match");
  found = await searchFor(page, "cluster");
  assert.equal(found[0].title, "Delta › At a glance", "a text value");
  found = await searchFor(page, "gamma");
  assert.equal(found[0].title, "Gamma", "a title match ranks first");
  await searchFor(page, "xylophone");
  assert.equal(await page.textContent("#search-status"), "No results for “xylophone”.");

  await searchFor(page, "zebra");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("href")), "../../models/beta/index.html#values");
  await page.keyboard.press("ArrowUp");
  assert.equal(await page.evaluate(() => document.activeElement.id), "search-input");
  await page.keyboard.press("Escape");
  assert.equal(await page.isVisible("#search"), false, "Escape closes the search");
  await page.keyboard.press("s");
  assert.equal(await page.inputValue("#search-input"), "zebra", "s opens it again, with the last words");
  await page.keyboard.press("Enter");
  await page.waitForURL(/models\/beta\/index\.html#values$/);
  assert.equal(await page.isVisible("#values"), true);
  await page.goto(fileUrl(fixture, "index.html") + "?q=uses%20core");
  await page.waitForFunction(() => document.getElementById("search-status").textContent !== "");
  assert.equal((await results(page))[0].title, "Alpha › Pros", "?q= opens the search with those words");
  assert.deepEqual(page.external, []);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("search from a server under a sub-path finds headings and body text, and the links work", async () => {
  const page = await openPage(browser);
  await page.goto(shippedServer.base + "matrix/index.html");
  await page.waitForSelector("#vs-controls:not([hidden])");
  await page.focus("#vs-search");
  await page.keyboard.type("s");
  assert.equal(await page.isVisible("#search"), false, "typing s in a field does not open search");
  await page.click("h1");
  await page.keyboard.press("s");
  await page.waitForFunction(() => document.activeElement.id === "search-input");
  const found = await searchFor(page, "is the gil on");
  assert.equal(found[0].title, "Threads (free-threaded build) › Is the GIL on?", "a heading");
  await page.click("#search-results a >> nth=0");
  await page.waitForLoadState();
  const url = new URL(page.url());
  assert.ok(url.pathname.startsWith("/docs/models/"), url.pathname);
  assert.equal(await page.locator(url.hash).count(), 1, "the section exists");
  await page.keyboard.press("/");
  const body = await searchFor(page, "pickled lambdas");
  assert.ok(body.length > 0 && body[0].marks.includes("pickled"), "body text");
  assert.deepEqual(page.external, []);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("axe-core finds no violations with the search and the menu open, light and dark", async () => {
  for (const colorScheme of ["light", "dark"]) {
    const page = await openPage(browser, { ...phone, colorScheme });
    await page.goto(shippedServer.base + "models/threads/index.html");
    await page.click("#menu-toggle");
    await page.keyboard.press("/");
    await searchFor(page, "pickled");
    await page.keyboard.press("ArrowDown");
    await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
    const violations = await page.evaluate(async () => (await window.axe.run(document)).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`));
    assert.deepEqual(violations, [], colorScheme);
    await page.context().close();
  }
});

test("each level of a scale shows its place, in light, dark and print, with its label whole", async () => {
  for (const colorScheme of ["light", "dark"]) {
    const page = await openPage(browser, { colorScheme, viewport: { width: 390, height: 844 } });
    await page.goto(shippedServer.base + "matrix/index.html");
    await page.waitForSelector("#vs-controls:not([hidden])");
    const cues = await page.$$eval('#vs-matrix td[data-key="startup"] .vs-step', (spans) => spans.map((span) => ({
      dots: span.querySelector(".vs-steps").textContent,
      word: span.textContent.slice(span.querySelector(".vs-steps").textContent.length).trim(),
      alpha: (getComputedStyle(span).backgroundColor.match(/[\d.]+/g) || []).map(Number),
    })));
    const byWord = Object.fromEntries(cues.map((c) => [c.word, c]));
    assert.equal(byWord.smallest.dots, "●○○", colorScheme);
    assert.equal(byWord.medium.dots, "●●○");
    assert.equal(byWord.biggest.dots, "●●●");
    // The tint deepens along the scale: the first level has none, the last the most.
    const strength = (c) => (c.alpha.length === 4 ? c.alpha[3] : 1);
    assert.ok(strength(byWord.smallest) < strength(byWord.medium) && strength(byWord.medium) < strength(byWord.biggest), JSON.stringify(cues));
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.isVisible('#vs-matrix td[data-key="startup"] .vs-steps'), true, "the dots print");
    await page.context().close();
  }
});

test("levels with labels from book.toml: the filter keeps the key, readers see the label, never broken", async () => {
  const page = await openPage(browser, phone);
  await page.goto(pathToFileURL(join(labelled, "matrix/index.html")).href);
  await page.waitForSelector("#vs-controls:not([hidden])");
  await page.click(".vs-facets summary");
  const facet = page.locator('label:has(input[data-facet="purpose"][value="io"])');
  assert.equal((await facet.textContent()).trim().split(" ")[0], "I/O-bound");
  await facet.locator("input").check();
  assert.deepEqual(await page.$$eval("#vs-matrix tbody tr:not([hidden])", (rows) => rows.map((r) => r.dataset.model)), ["beta", "gamma", "delta"]);
  assert.match(page.url(), /f\.purpose=io/, "the URL names the key");
  const lines = await page.$$eval('#vs-matrix tbody tr:not([hidden]) td[data-key="purpose"] .vs-level', (spans) => spans.map((s) => [s.textContent, s.getClientRects().length]));
  assert.ok(lines.length > 0 && lines.every(([, n]) => n === 1), `a level is one unbroken box: ${JSON.stringify(lines)}`);
  assert.ok(lines.some(([text]) => text === "CPU-bound"));
  await page.context().close();
});

test("the page's place in the navigation is marked and stays in view; previous and next lead on", async () => {
  const page = await openPage(browser, { viewport: { width: 1280, height: 420 } });
  await page.goto(shippedServer.base + "sources/index.html");
  const visible = () => page.$eval('#site-nav [aria-current="page"]', (a) => {
    const box = a.getBoundingClientRect(), nav = a.closest("nav").getBoundingClientRect();
    return box.top >= Math.max(0, nav.top) && box.bottom <= Math.min(innerHeight, nav.bottom);
  });
  assert.equal(await visible(), true, "scrolled into the navigation's view");
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  assert.equal(await visible(), true, "still in view at the end of the page");
  await page.click(".pager-prev");
  assert.match(page.url(), /glossary\/index\.html$/);
  await page.click(".pager-next");
  assert.match(page.url(), /sources\/index\.html$/);
  assert.equal(await page.locator(".pager-next").count(), 0, "the last page has no next");
  await page.context().close();
});
