// The matrix follows a version: the selector, the URL state, the marks on cells that differ
// from the version the page was built for, facets and counts, and the static page without
// JavaScript. The fixture declares 1.0 and 2.0; delta runs in parallel only since 2.0.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { join } from "node:path";
import { build, serve, launch, openPage, openMatrix, shownModels, repo } from "./helpers.mjs";

const require = createRequire(import.meta.url);
let browser, server;
before(async () => {
  server = await serve(build(join(repo, "tests/fixtures/browser")));
  browser = await launch();
});
after(async () => { await browser?.close(); server?.close(); });

const matrix = (hash = "") => openMatrix(browser, server.base, hash);
const delta = (page) => page.locator('tr[data-model="delta"] td[data-key="parallel"]');
const count = (page, key, level) => page.locator(`input[data-facet="${key}"][value="${level}"]`).locator("xpath=..").locator(".vs-count").textContent();

test("picking a version shows its values, marks what differs, and filters and counts follow", async () => {
  const page = await matrix();
  assert.equal(await page.inputValue("#vs-version"), "1");
  assert.equal(await page.textContent("#vs-caption .vs-caption-version"), "2.0");
  assert.equal(await count(page, "parallel", "yes"), "(2)");
  await page.selectOption("#vs-version", { label: "1.0" });
  await page.waitForURL(/#\?v=1\.0$/);
  assert.equal(await delta(page).locator(".vs-value").textContent(), "●○○ no");
  assert.equal(await delta(page).getAttribute("class"), "vs-differs");
  assert.equal(await delta(page).locator(".vs-differs-mark").textContent(), " (2.0: yes)");
  assert.equal(await page.textContent("#vs-caption .vs-caption-version"), "1.0");
  assert.equal(await count(page, "parallel", "yes"), "(1)");
  assert.equal(await count(page, "parallel", "no"), "(2)");
  await page.locator('input[data-facet="parallel"][value="yes"]').check();
  assert.deepEqual(await shownModels(page), ["alpha"]);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.external, []);
});

test("the version is kept in the URL with the rest, across reload, Back and a preset", async () => {
  const page = await matrix("#?f.purpose=io&v=1.0");
  assert.equal(await page.inputValue("#vs-version"), "0");
  assert.equal(await delta(page).locator(".vs-value").textContent(), "●○○ no");
  await page.reload();
  await page.waitForSelector("#vs-controls:not([hidden])");
  assert.equal(await delta(page).locator(".vs-value").textContent(), "●○○ no");
  await page.selectOption("#vs-version", { label: "2.0" });
  await page.waitForURL(/#\?f\.purpose=io$/);
  assert.equal(await delta(page).locator(".vs-value").textContent(), "●●● yes");
  assert.equal(await delta(page).locator(".vs-differs-mark").count(), 0);
  await page.goBack();
  assert.equal(await page.inputValue("#vs-version"), "0");
  assert.equal(await delta(page).locator(".vs-value").textContent(), "●○○ no");
  await page.click('button.vs-preset[data-preset="cpu-bound-pure-python"]');
  assert.match(page.url(), /&v=1\.0$/, "a preset keeps the version");
  await page.click("#vs-reset");
  assert.equal(await page.inputValue("#vs-version"), "1");
});

test("without JavaScript the matrix shows the current version and lists the history in its notes", async () => {
  const page = await openPage(browser, { javaScriptEnabled: false });
  await page.goto(server.base + "matrix/index.html#?v=1.0");
  assert.equal(await page.isHidden("#vs-controls"), true);
  assert.equal((await delta(page).textContent()).trim(), "●●● yes2");
  const note = await page.textContent("#vs-note-2");
  assert.match(note, /Changed in version 2\.0: from no to yes\. Source/);
});

test("axe-core finds no violations with an earlier version selected", async () => {
  for (const scheme of ["light", "dark"]) {
    const page = await openPage(browser, { colorScheme: scheme });
    await page.goto(server.base + "matrix/index.html#?v=1.0");
    await page.waitForSelector(".vs-differs");
    await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
    const violations = await page.evaluate(async () => (await window.axe.run(document)).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`));
    assert.deepEqual(violations, [], scheme);
    await page.context().close();
  }
});

test("a model page shows its values as of a chosen version, kept in the URL", async () => {
  const page = await openPage(browser);
  await page.goto(server.base + "models/delta/index.html");
  await page.waitForSelector("#version-pick:not([hidden])");
  const parallel = page.locator('tr[data-key="parallel"] td');
  assert.equal(await parallel.locator(".value-now").textContent(), "●●● yes");
  await page.selectOption("#version", { label: "1.0" });
  await page.waitForURL(/#\?v=1\.0$/);
  assert.equal(await parallel.locator(".value-now").textContent(), "●○○ no");
  assert.equal(await parallel.getAttribute("class"), "differs");
  assert.equal(await parallel.locator(".differs-mark").textContent(), " (2.0: yes)");
  await page.reload();
  await page.waitForSelector("#version-pick:not([hidden])");
  assert.equal(await parallel.locator(".value-now").textContent(), "●○○ no");
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const violations = await page.evaluate(async () => (await window.axe.run(document)).violations.map((v) => v.id));
  assert.deepEqual(violations, []);
  await page.goBack();
  assert.equal(await parallel.locator(".value-now").textContent(), "●●● yes");
  assert.equal(await page.locator("#version-pick").count(), 1);
  const constant = await openPage(browser);
  await constant.goto(server.base + "models/alpha/index.html");
  assert.equal(await constant.locator("#version-pick").count(), 0, "no selector where nothing changed");
  assert.deepEqual(page.errors, []);
  const noJs = await openPage(browser, { javaScriptEnabled: false });
  await noJs.goto(server.base + "models/delta/index.html#?v=1.0");
  assert.equal(await noJs.isHidden("#version-pick"), true);
  assert.equal(await noJs.locator('tr[data-key="parallel"] .value-now').textContent(), "●●● yes");
});
