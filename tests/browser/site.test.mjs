// The rest of the site in a real browser: the guide wizard, synced code tabs, copy, the
// theme switch, accessibility (axe-core) and HTML validity (the Nu HTML Checker).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build, serve, launch, openPage, shownModels, htmlPages, repo } from "./helpers.mjs";

const require = createRequire(import.meta.url);
let browser, server, site, shipped, shippedServer;
before(async () => {
  site = build(join(repo, "tests/fixtures/browser"));
  shipped = build(repo);
  server = await serve(site);
  shippedServer = await serve(shipped, "/docs/");
  browser = await launch();
});
after(async () => { await browser?.close(); server?.close(); shippedServer?.close(); });

async function guide(page, base = server.base, hash = "") {
  await page.goto(base + "guide/index.html" + hash);
  await page.waitForSelector("#vs-wizard:not([hidden]) h2");
}
const heading = (page) => page.textContent("#vs-wizard h2");

test("the wizard reaches every model through the guide tree, one question at a time", async () => {
  const page = await openPage(browser);
  await guide(page);
  assert.equal(await page.isHidden("#vs-guide"), true);
  // Every path of the static tree, as answer numbers.
  const paths = await page.$eval("#vs-guide", (tree) => {
    const out = [];
    const walk = (question, path) => [...question.querySelector(":scope > .vs-answers").children].forEach((answer, i) => {
      const next = answer.querySelector(":scope > .vs-question");
      if (next) walk(next, path.concat(i + 1)); else out.push({ path: path.concat(i + 1), model: answer.querySelector(".vs-result a").textContent });
    });
    walk(tree.querySelector(".vs-question"), []);
    return out;
  });
  const reached = new Set();
  for (const { path, model } of paths) {
    await guide(page);
    for (const step of path) {
      await page.locator("#vs-wizard .vs-choices button").nth(step - 1).click();
    }
    assert.equal(await heading(page), "Recommended: " + model);
    await page.waitForURL(new RegExp("#\\?path=" + path.join("-") + "$"));
    reached.add(model);
  }
  assert.deepEqual([...reached].sort(), ["Alpha", "Beta", "Delta", "Gamma"]);
  assert.deepEqual(page.errors, []);
});

test("back, restart, the browser's Back and the result links work", async () => {
  const page = await openPage(browser);
  await guide(page);
  assert.equal(await heading(page), "Is the work CPU-bound?");
  await page.click("#vs-wizard .vs-choices button >> text=I/O-bound");
  assert.equal(await heading(page), "How many connections?");
  assert.equal(await page.evaluate(() => document.activeElement.tagName), "H2", "focus moves to the new question");
  await page.click("#vs-wizard .vs-choices button >> text=Thousands");
  assert.equal(await heading(page), "Recommended: Gamma");
  assert.match(await page.textContent("#vs-wizard"), /Your answers: I\/O-bound → Thousands/);
  await page.click("#vs-wizard button >> text=Back");
  assert.equal(await heading(page), "How many connections?");
  await page.goBack();
  assert.equal(await heading(page), "Recommended: Gamma", "the browser's Back returns to the result");
  await page.click("#vs-wizard button >> text=Start again");
  assert.equal(await heading(page), "Is the work CPU-bound?");
  await guide(page, server.base, "#?path=2-1");
  await page.click("#vs-wizard a >> text=see it in the matrix");
  await page.waitForSelector("#vs-controls:not([hidden])");
  assert.deepEqual(await shownModels(page), ["gamma"]);
  await guide(page, server.base, "#?path=2-1");
  await page.click("#vs-wizard a >> text=Read about Gamma");
  await page.waitForURL(/models\/gamma\/index\.html$/);
});

test("the wizard works from file://, and the tree is plain lists without JavaScript", async () => {
  const page = await openPage(browser);
  await page.goto(pathToFileURL(join(site, "guide/index.html")).href + "#?path=1-1");
  await page.waitForSelector("#vs-wizard:not([hidden]) h2");
  assert.equal(await heading(page), "Recommended: Alpha");
  const plain = await openPage(browser, { javaScriptEnabled: false });
  await plain.goto(server.base + "guide/index.html");
  assert.equal(await plain.isVisible("#vs-guide .vs-question .vs-question"), true, "nested questions are visible");
  assert.equal(await plain.isHidden("#vs-wizard"), true);
});

test("code tabs stay in sync across the page and remember the choice", async () => {
  const page = await openPage(browser);
  await page.goto(server.base + "samples/index.html");
  const visible = () => page.$$eval(".tab-panel:not([hidden]) pre", (pres) => pres.map((p) => p.textContent.trim()));
  assert.deepEqual(await visible(), ['print("beta one")', 'print("beta two")']);
  await page.locator(".tablist").first().locator("button >> text=gamma").click();
  assert.deepEqual(await visible(), ['print("gamma one")', 'print("gamma two")']);
  assert.equal(await page.locator('.tablist').nth(1).locator('[aria-selected="true"]').textContent(), "gamma");
  await page.reload();
  assert.deepEqual(await visible(), ['print("gamma one")', 'print("gamma two")'], "remembered");
  await page.locator('.tablist button[aria-selected="true"]').first().focus();
  await page.keyboard.press("ArrowLeft");
  assert.deepEqual(await visible(), ['print("beta one")', 'print("beta two")'], "arrow keys move between tabs");
  const plain = await openPage(browser, { javaScriptEnabled: false });
  await plain.goto(server.base + "samples/index.html");
  assert.equal(await plain.locator(".tab-panel pre:visible").count(), 4, "without JavaScript every sample shows");
});

test("copy takes the code without prompts or output", async () => {
  const page = await openPage(browser, { permissions: ["clipboard-read", "clipboard-write"] });
  await page.goto(server.base + "samples/index.html");
  await page.locator('.code-block[data-lang="pycon"] .copy-button').click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), '6 * 7\nprint("done")\n');
  assert.equal(await page.locator('.code-block[data-lang="pycon"] .copy-button').textContent(), "Copied");
  await page.locator(".tab-panel:not([hidden]) .copy-button").first().click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'print("beta one")\n');
});

test("light, dark and automatic themes are remembered, and code colours follow", async () => {
  const page = await openPage(browser, { colorScheme: "light" });
  await page.goto(server.base + "samples/index.html");
  const colours = () => page.evaluate(() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.querySelector(".highlight .nb, .highlight .s2")).color]);
  const light = await colours();
  assert.equal(await page.textContent("#theme-toggle"), "Theme: auto");
  await page.click("#theme-toggle");
  await page.click("#theme-toggle");
  assert.equal(await page.textContent("#theme-toggle"), "Theme: dark");
  const dark = await colours();
  assert.notEqual(dark[0], light[0]);
  assert.notEqual(dark[1], light[1], "code colours follow the theme");
  await page.reload();
  assert.equal(await page.getAttribute("html", "data-theme"), "dark");
  assert.deepEqual(await colours(), dark);
  await page.click("#theme-toggle");
  assert.equal(await page.textContent("#theme-toggle"), "Theme: auto");
  assert.deepEqual(await colours(), light, "auto follows the system, which is light here");
  const system = await openPage(browser, { colorScheme: "dark" });
  await system.goto(server.base + "samples/index.html");
  assert.deepEqual(await system.evaluate(() => getComputedStyle(document.body).backgroundColor), dark[0]);
});

for (const scheme of ["light", "dark"]) {
  test(`axe-core finds no violations on any page (${scheme})`, async () => {
    for (const [label, dir, base] of [["fixture", site, server.base], ["shipped", shipped, shippedServer.base]]) {
      for (const path of htmlPages(dir)) {
        const page = await openPage(browser, { colorScheme: scheme });
        await page.goto(base + path);
        await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
        const violations = await page.evaluate(async () => (await window.axe.run(document)).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`));
        assert.deepEqual(violations, [], `${label} ${path}`);
        assert.deepEqual(page.external, [], `${label} ${path} requests another host`);
        assert.deepEqual(page.errors, [], `${label} ${path} has script errors`);
        await page.context().close();
      }
    }
  });
}

test("the Nu HTML Checker finds no errors on any page", () => {
  const jar = require.resolve("vnu-jar/build/dist/vnu.jar");
  try {
    const pages = [site, shipped].flatMap((dir) => htmlPages(dir).map((page) => join(dir, page)));
    execFileSync("java", ["-jar", jar, "--errors-only", ...pages], { stdio: "pipe" });
  } catch (error) {
    assert.fail(`vnu reported errors:\n${error.stderr}`);
  }
});
