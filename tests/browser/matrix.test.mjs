// The matrix page in a real browser: facets, presets, search, sort, columns, transpose,
// compare, URL state, keyboard use, print and phone layouts.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build, serve, launch, openPage, openMatrix, shownModels, repo } from "./helpers.mjs";

let browser, server, site;
before(async () => {
  site = build(join(repo, "tests/fixtures/browser"));
  server = await serve(site);
  browser = await launch();
});
after(async () => { await browser?.close(); server?.close(); });

const matrix = (hash = "") => openMatrix(browser, server.base, hash);
const facet = (page, key, level) => page.locator(`input[data-facet="${key}"][value="${level}"]`);
const count = (page, key, level) => facet(page, key, level).locator("xpath=..").locator(".vs-count").textContent();

test("facets combine with AND across dimensions and OR within one, with live counts", async () => {
  const page = await matrix();
  assert.deepEqual(await shownModels(page), ["alpha", "beta", "gamma", "delta"]);
  assert.equal(await count(page, "purpose", "cpu"), "(2)");
  await facet(page, "purpose", "cpu").check();
  assert.deepEqual(await shownModels(page), ["alpha", "beta"]);
  assert.equal(await count(page, "parallel", "yes"), "(1)", "counts reflect the other filters");
  assert.equal(await count(page, "purpose", "io"), "(3)", "a facet's own counts ignore its own filter");
  await facet(page, "purpose", "io").check();
  assert.deepEqual(await shownModels(page), ["alpha", "beta", "gamma", "delta"], "OR within a facet");
  await facet(page, "parallel", "yes").check();
  assert.deepEqual(await shownModels(page), ["alpha", "delta"], "AND across facets");
  assert.equal(await page.textContent("#vs-status"), "2 of 4 models shown");
  assert.equal(await page.getAttribute("#vs-status", "aria-live"), "polite");
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.external, []);
});

test("a preset sets the filters and says why; reset clears everything", async () => {
  const page = await matrix();
  await page.click('button.vs-preset[data-preset="cpu-bound-pure-python"]');
  assert.deepEqual(await shownModels(page), ["alpha"]);
  assert.equal(await facet(page, "purpose", "cpu").isChecked(), true);
  assert.equal(await page.textContent("#vs-preset-why"), "CPU-bound pure Python: Needs real parallelism.");
  assert.equal(await page.getAttribute('button.vs-preset[data-preset="cpu-bound-pure-python"]', "aria-pressed"), "true");
  await page.click('button.vs-preset[data-preset="thousands-of-connections"]');
  assert.deepEqual(await shownModels(page), ["gamma"]);
  await page.click("#vs-reset");
  assert.deepEqual(await shownModels(page), ["alpha", "beta", "gamma", "delta"]);
  assert.equal(await page.isHidden("#vs-preset-why"), true);
  await page.waitForURL((url) => !url.href.includes("#?"));
});

test("free text searches titles, values, notes, pros and cons", async () => {
  const page = await matrix();
  for (const [query, expected] of [["zebra", ["beta"]], ["thousands at once", ["gamma"]], ["NETWORK", ["delta"]], ["gamma.run", ["gamma"]]]) {
    await page.fill("#vs-search", query);
    assert.deepEqual(await shownModels(page), expected, query);
  }
});

test("an empty result names the filter to loosen", async () => {
  const page = await matrix("#?f.purpose=cpu&f.startup=small");
  assert.deepEqual(await shownModels(page), []);
  assert.equal(await page.textContent("#vs-empty"), "No model matches. Loosen the Startup filter: without it, 2 would match.");
  assert.equal(await page.textContent("#vs-status"), "0 of 4 models shown");
});

test("sorting follows the declared scale, keeps n/a last and sets aria-sort on one column", async () => {
  const page = await matrix();
  await page.click('th[data-key="startup"] button.vs-sort');
  assert.deepEqual(await shownModels(page), ["gamma", "beta", "alpha", "delta"]);
  assert.equal(await page.getAttribute('th[data-key="startup"]', "aria-sort"), "ascending");
  assert.equal(await page.locator("#vs-matrix th[aria-sort]").count(), 1);
  await page.click('th[data-key="startup"] button.vs-sort');
  assert.deepEqual(await shownModels(page), ["alpha", "beta", "gamma", "delta"], "descending, n/a still last");
  await page.click('th[data-key="parallel"] button.vs-sort');
  assert.deepEqual(await shownModels(page), ["gamma", "beta", "alpha", "delta"]);
  assert.equal(await page.getAttribute('th[data-key="startup"]', "aria-sort"), null);
  await page.click("th.vs-model-col button.vs-sort");
  assert.deepEqual(await shownModels(page), ["alpha", "beta", "delta", "gamma"], "by title");
});

test("columns hide and come back", async () => {
  const page = await matrix();
  await page.click(".vs-columns summary");
  await page.uncheck('input[data-column="api"]');
  assert.equal(await page.isHidden('#vs-matrix th[data-key="api"]'), true);
  assert.equal(await page.locator('#vs-matrix td[data-key="api"]:not([hidden])').count(), 0);
  await page.check('input[data-column="api"]');
  assert.equal(await page.locator('#vs-matrix td[data-key="api"]:not([hidden])').count(), 4);
});

test("transpose shows models as columns; compare puts two or three side by side", async () => {
  const page = await matrix("#?f.purpose=io");
  await page.click("#vs-transpose");
  assert.equal(await page.isHidden("#vs-scroll"), true);
  const heads = await page.$$eval("#vs-transposed thead th", (ths) => ths.map((th) => th.textContent.trim()));
  assert.deepEqual(heads, ["Dimension", "Beta", "Gamma", "Delta"]);
  assert.equal(await page.locator("#vs-transposed tbody tr").count(), 4);
  await page.click("#vs-transpose");
  await page.click("#vs-reset");
  assert.equal(await page.isDisabled("#vs-compare"), true);
  await page.check('tr[data-model="alpha"] .vs-pick');
  await page.check('tr[data-model="gamma"] .vs-pick');
  await page.check('tr[data-model="delta"] .vs-pick');
  assert.equal(await page.isDisabled('tr[data-model="beta"] .vs-pick'), true, "three at most");
  await page.uncheck('tr[data-model="delta"] .vs-pick');
  await page.click("#vs-compare");
  const side = await page.$$eval("#vs-transposed thead th", (ths) => ths.map((th) => th.textContent.trim()));
  assert.deepEqual(side, ["Dimension", "Alpha", "Gamma"]);
  assert.equal(await page.locator("#vs-transposed [id]").count(), 0, "no duplicated ids in the copy");
});

test("the URL holds the state: reload, Back and a pasted link restore it exactly", async () => {
  const page = await matrix();
  await facet(page, "purpose", "io").check();
  await page.click('th[data-key="startup"] button.vs-sort');
  await page.fill("#vs-search", "a");
  await page.waitForURL(/#\?f\.purpose=io&q=a&sort=startup$/);
  const url = page.url();
  await page.reload();
  await page.waitForSelector("#vs-controls:not([hidden])");
  assert.deepEqual(await shownModels(page), ["gamma", "beta", "delta"]);
  assert.equal(await page.inputValue("#vs-search"), "a");
  assert.equal(await facet(page, "purpose", "io").isChecked(), true);
  await page.goBack();
  assert.equal(await page.getAttribute('th[data-key="startup"]', "aria-sort"), null, "Back undoes the sort");
  assert.deepEqual(await shownModels(page), ["beta", "gamma", "delta"]);
  await page.goBack();
  assert.deepEqual(await shownModels(page), ["alpha", "beta", "gamma", "delta"]);
  const pasted = await openPage(browser);
  await pasted.goto(url);
  await pasted.waitForSelector("#vs-controls:not([hidden])");
  assert.deepEqual(await shownModels(pasted), ["gamma", "beta", "delta"]);
  await pasted.click('a[href="#vs-note-1"]');
  assert.deepEqual(await shownModels(pasted), ["gamma", "beta", "delta"], "a footnote link keeps the filters");
});

test("keyboard alone reaches and operates every control, with a visible focus ring", async () => {
  const page = await matrix();
  const reached = new Set();
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press("Tab");
    const id = await page.evaluate(() => {
      const el = document.activeElement;
      return el.id || el.dataset.facet && `${el.dataset.facet}=${el.value}` || el.dataset.preset || (el.className === "vs-sort" && "sort:" + el.parentNode.dataset.key) || (el.className === "vs-pick" && "pick:" + el.closest("tr").dataset.model) || el.tagName;
    });
    reached.add(id);
  }
  for (const control of ["vs-search", "vs-transpose", "vs-reset", "cpu-bound-pure-python", "purpose=cpu", "startup=large", "sort:startup", "pick:delta", "SUMMARY", "theme-toggle"]) {
    assert.ok(reached.has(control), `${control} is reachable by Tab (reached: ${[...reached].join(", ")})`);
  }
  await page.focus('input[data-facet="purpose"][value="cpu"]');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  await page.keyboard.press("Space");
  assert.deepEqual(await shownModels(page), ["alpha", "beta"]);
  await page.focus('th[data-key="startup"] button.vs-sort');
  await page.keyboard.press("Enter");
  assert.equal(await page.getAttribute('th[data-key="startup"]', "aria-sort"), "ascending");
  assert.notEqual(outline, "none", "focus is visible");
});

test("the header row and the model column stay in view while the table scrolls", async () => {
  const page = await openPage(browser, { viewport: { width: 480, height: 260 } });
  await page.goto(server.base + "matrix/index.html");
  await page.waitForSelector("#vs-controls:not([hidden])");
  const before = await page.$eval('tr[data-model="alpha"] th', (th) => th.getBoundingClientRect().left);
  const scrolled = await page.$eval("#vs-scroll", (el) => { el.scrollLeft = 100; el.scrollTop = 100; return [el.scrollLeft, el.scrollTop]; });
  assert.ok(scrolled[0] >= 50 && scrolled[1] >= 50, `the table scrolls both ways (${scrolled})`);
  const after = await page.$eval('tr[data-model="alpha"] th', (th) => th.getBoundingClientRect().left);
  assert.ok(Math.abs(after - before) <= 1, `the model column does not scroll away (${before} → ${after})`);
  const header = await page.$eval("#vs-scroll", (el) => el.querySelector("thead th").getBoundingClientRect().top - el.getBoundingClientRect().top);
  assert.ok(header <= 1, `the header row stays at the top (${header}px)`);
});

test("print shows the full, unfiltered table with its notes", async () => {
  const page = await matrix("#?f.purpose=cpu&hide=api&t=1");
  await page.emulateMedia({ media: "print" });
  const shown = await page.$$eval("#vs-matrix tbody tr", (rows) => rows.filter((r) => getComputedStyle(r).display !== "none").length);
  assert.equal(shown, 4);
  assert.notEqual(await page.$eval('#vs-matrix th[data-key="api"]', (th) => getComputedStyle(th).display), "none");
  assert.notEqual(await page.$eval("#vs-scroll", (el) => getComputedStyle(el).display), "none");
  assert.equal(await page.$eval("#vs-controls", (el) => getComputedStyle(el).display), "none");
  assert.notEqual(await page.$eval(".vs-notes-section", (el) => getComputedStyle(el).display), "none");
});

test("works on a 375 px phone: the page does not scroll sideways, the table does", async () => {
  const page = await openPage(browser, { viewport: { width: 375, height: 800 } });
  await page.goto(server.base + "matrix/index.html");
  await page.waitForSelector("#vs-controls:not([hidden])");
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375), "no sideways page scroll");
  assert.equal(await page.isVisible('input[data-facet="purpose"]'), false, "filters start folded on a phone");
  await page.click(".vs-facets summary");
  await facet(page, "purpose", "io").check();
  assert.deepEqual(await shownModels(page), ["beta", "gamma", "delta"]);
});

test("without JavaScript the page is the complete static table", async () => {
  const page = await openPage(browser, { javaScriptEnabled: false });
  await page.goto(server.base + "matrix/index.html#?f.purpose=cpu");
  assert.equal(await page.isHidden("#vs-controls"), true);
  assert.equal(await page.locator("#vs-matrix tbody tr").count(), 4);
  assert.equal(await page.locator("#vs-matrix tbody tr[hidden]").count(), 0);
});

test("from file:// the matrix filters and keeps its state across a reload", async () => {
  const page = await openPage(browser);
  await page.goto(pathToFileURL(join(site, "matrix/index.html")).href);
  await page.waitForSelector("#vs-controls:not([hidden])");
  await facet(page, "purpose", "cpu").check();
  await page.reload();
  await page.waitForSelector("#vs-controls:not([hidden])");
  assert.deepEqual(await shownModels(page), ["alpha", "beta"]);
  assert.deepEqual(page.external, []);
});

test("screenshots of the matrix at 1280 and 375 px, for people to look at", async () => {
  const shipped = build(repo);
  const dir = join(repo, "target", "screenshots");
  mkdirSync(dir, { recursive: true });
  for (const width of [1280, 375]) {
    const page = await openPage(browser, { viewport: { width, height: 900 } });
    await page.goto(pathToFileURL(join(shipped, "matrix/index.html")).href);
    await page.waitForSelector("#vs-controls:not([hidden])");
    await page.screenshot({ path: join(dir, `matrix-${width}.png`), fullPage: true });
  }
});

// A book whose levels, labels and titles hold characters that mean something in URLs and
// HTML: `|`, `,`, `&`, `=`, spaces, `<`.
test("levels of any characters filter, go into the URL and come back from it", async () => {
  const odd = await serve(build(join(repo, "tests/fixtures/odd-levels")));
  try {
    const page = await openPage(browser);
    await page.goto(odd.base + "matrix/index.html");
    await page.waitForSelector("#vs-controls:not([hidden])");
    await page.getByLabel("a|b").check();
    assert.deepEqual(await shownModels(page), ["one"]);
    await page.getByLabel("e f&g=h").check();
    assert.deepEqual(await shownModels(page), ["one", "two"], "OR within the facet");
    await page.getByLabel("a|b").uncheck();
    assert.deepEqual(await shownModels(page), ["two"]);
    assert.ok(page.url().endsWith("#?f.shape=e%20f%26g%3Dh"), page.url());
    await page.reload();
    await page.waitForSelector("#vs-controls:not([hidden])");
    assert.deepEqual(await shownModels(page), ["two"]);
    assert.equal(await page.getByLabel("e f&g=h").isChecked(), true);
    await page.click("button.vs-preset");
    assert.deepEqual(await shownModels(page), ["one", "two"]);
    assert.equal(await page.getByLabel("c,d").isChecked(), true);
    assert.equal(await page.getByLabel("e f&g=h").isChecked(), false);
    assert.deepEqual(page.errors, []);
  } finally {
    odd.close();
  }
});

test("labels and titles are shown as text in the transposed view and the guide", async () => {
  const odd = await serve(build(join(repo, "tests/fixtures/odd-levels")));
  try {
    const page = await openPage(browser);
    await page.goto(odd.base + "matrix/index.html#?t=1");
    await page.waitForSelector("#vs-transposed:not([hidden])");
    const rowHeads = await page.$$eval("#vs-transposed tbody th", (ths) => ths.map((th) => th.textContent));
    assert.deepEqual(rowHeads, ["Shape <b>&amp;</b> form", "Size"]);
    const colHeads = await page.$$eval("#vs-transposed thead th", (ths) => ths.map((th) => th.textContent.trim()));
    assert.deepEqual(colHeads, ["Dimension", "One <i>&amp; co", "Two"]);
    assert.equal(await page.locator("#vs-transposed [id], #vs-transposed input").count(), 0, "no ids or pick boxes copied");
    await page.goto(odd.base + "guide/index.html");
    await page.waitForSelector("#vs-wizard:not([hidden])");
    assert.equal(await page.textContent("#vs-wizard h2"), "Which <one>?");
    await page.getByRole("button", { name: "The first, <x> & y" }).click();
    assert.equal(await page.textContent("#vs-wizard h2"), "Recommended: One <i>&amp; co");
    assert.equal(await page.getByRole("link", { name: "Read about One <i>&amp; co" }).count(), 1);
    assert.deepEqual(page.errors, []);
  } finally {
    odd.close();
  }
});

test("the matrix and the guide survive any URL fragment", async () => {
  const fragments = [
    "#?sort=nope", "#?sort=model&dir=sideways", "#?q=%E0%A4%A", "#?%", "#?=&&==&f.=x",
    "#?f.__proto__=x&f.constructor=y", "#?pick=zz,yy,xx,ww", "#?hide=nope&t=1&c=1",
    "#?models=nobody", "#?f.purpose=nope", "#garbage", "#?path=abc", "#?path=9-9-9", "#?path=1-1-1-1",
  ];
  for (const hash of fragments) {
    for (const path of ["matrix/index.html", "guide/index.html"]) {
      const page = await openPage(browser);
      await page.goto(server.base + path + hash);
      await page.waitForSelector(path.startsWith("matrix") ? "#vs-controls:not([hidden])" : "#vs-wizard:not([hidden])");
      assert.deepEqual(page.errors, [], `${path}${hash}`);
      if (path.startsWith("matrix")) {
        // The scripts still work: a click changes the state.
        await page.click("#vs-reset");
        assert.deepEqual(await shownModels(page), ["alpha", "beta", "gamma", "delta"], hash);
      } else {
        assert.ok((await page.locator("#vs-wizard button").count()) > 0, hash);
      }
      assert.deepEqual(page.errors, [], `${path}${hash}`);
      await page.context().close();
    }
  }
});
