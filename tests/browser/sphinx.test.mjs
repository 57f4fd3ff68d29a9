// The fragments inside a Sphinx project with python-docs-theme: the example builds with
// warnings as errors for html and text, and the embedded matrix works and follows the
// theme's light and dark modes in a real browser.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build, launch, openPage, repo } from "./helpers.mjs";

const require = createRequire(import.meta.url);
const sphinxBuild = process.env.SPHINX_BUILD || join(repo, "target/sphinx-venv/bin/sphinx-build");
let browser, project, html;
before(async () => {
  const site = build(repo);
  project = join(mkdtempSync(join(tmpdir(), "versus-sphinx-")), "docs");
  cpSync(join(repo, "examples/sphinx"), project, { recursive: true });
  cpSync(join(site, "embed"), join(project, "_embed"), { recursive: true });
  html = join(project, "_build/html");
  sphinx("html");
  sphinx("text");
  browser = await launch();
});
after(async () => { await browser?.close(); });

function sphinx(builder) {
  try {
    execFileSync(sphinxBuild, ["-W", "--keep-going", "-q", "-b", builder, project, join(project, "_build", builder)], { stdio: "pipe" });
  } catch (error) {
    assert.fail(`sphinx-build -W -b ${builder} failed:\n${error.stderr}`);
  }
}

test("the example builds with warnings as errors for the html and text builders", () => {
  const text = readFileSync(join(project, "_build/text/index.txt"), "utf8");
  assert.match(text, /5 models compared on 15 dimensions/);
  assert.match(text, /\| Dimension +\| Processes +\| Threads/);
  assert.match(text, /\[1\] Each worker is a whole interpreter/, "cell notes become footnotes");
  assert.match(text, /What does each task spend most of its time on\?/);
});

test("the embedded matrix filters, and follows python-docs-theme's dark mode with its code", async () => {
  const page = await openPage(browser, { colorScheme: "light" });
  await page.goto(pathToFileURL(join(html, "index.html")).href);
  await page.waitForSelector("#vs-controls:not([hidden])");
  await page.check('input[data-facet="purpose"][value="io-bound"]');
  const shown = await page.$$eval("#vs-matrix tbody tr:not([hidden])", (rows) => rows.map((r) => r.dataset.model));
  assert.deepEqual(shown, ["threads", "free-threading", "coroutines"]);
  const look = () => page.evaluate(() => ({
    theme: document.querySelector(".vs-root").dataset.vsTheme,
    header: getComputedStyle(document.querySelector("#vs-matrix thead th")).backgroundColor,
    cellText: getComputedStyle(document.querySelector("#vs-matrix td")).color,
    hostCode: getComputedStyle(document.querySelector(".highlight .kn, .highlight .k")).color,
  }));
  const light = await look();
  assert.equal(light.theme, "light");
  await page.selectOption("select.theme-selector >> visible=true", "dark");
  await page.waitForFunction(() => document.querySelector(".vs-root").dataset.vsTheme === "dark");
  const dark = await look();
  assert.notEqual(dark.header, light.header, "the matrix's own colours follow");
  assert.notEqual(dark.cellText, light.cellText, "its text follows the host's colour");
  assert.notEqual(dark.hostCode, light.hostCode, "and the code colours follow");
  await page.selectOption("select.theme-selector >> visible=true", "light");
  await page.waitForFunction(() => document.querySelector(".vs-root").dataset.vsTheme === "light");
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.external, []);
});

for (const scheme of ["light", "dark"]) {
  test(`axe-core finds no violations on the Sphinx page (${scheme})`, async () => {
    const page = await openPage(browser, { colorScheme: scheme });
    await page.goto(pathToFileURL(join(html, "index.html")).href);
    await page.waitForSelector("#vs-controls:not([hidden])");
    await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
    const violations = await page.evaluate(async () => (await window.axe.run(document)).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`));
    assert.deepEqual(violations, []);
  });
}
