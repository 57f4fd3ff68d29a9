// A book in French (`language = "fr"`): once the scripts have run, every text of the theme a
// reader sees is French, and the pages stay free of accessibility violations.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { build, serve, launch, openPage, openMatrix, repo } from "./helpers.mjs";

const require = createRequire(import.meta.url);

/** The texts of a shipped catalogue by key, each as its forms (a small reader for its format). */
function catalogue(language) {
  const texts = {};
  const file = readFileSync(join(repo, "themes/default/strings", `${language}.toml`), "utf8");
  for (const line of file.split("\n")) {
    const entry = line.match(/^([\w-]+) = (.*)$/);
    if (!entry) continue;
    texts[entry[1]] = [...entry[2].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`));
  }
  return texts;
}

// Texts the French catalogue words as English does ("Menu", "Version", "Source") are left
// out below: finding them says nothing of the language.
const english = catalogue("en"), french = catalogue("fr");
const englishRuns = Object.entries(english)
  .filter(([key]) => key !== "noun")
  .flatMap(([key, forms]) => forms.flatMap((form) => form
    .replace(/\{nouns\}/g, "models").replace(/\{noun\}/g, "model").replace(/\{Nouns\}/g, "Models").replace(/\{Noun\}/g, "Model")
    .split(/\{[\w-]+\}/).map((run) => run.trim())
    .filter((run) => /\p{L}.*\p{L}/u.test(run) && !french[key].some((f) => f.includes(run)))
    .map((run) => [key, run])));

/** English of the catalogue in the page's visible text: a run of words anywhere, a word alone as a line. */
async function englishIn(page) {
  const text = await page.evaluate(() => document.body.innerText);
  const lines = text.split("\n").map((line) => line.trim());
  return englishRuns.filter(([, run]) => (run.includes(" ") ? text.includes(run) : lines.includes(run)));
}

async function axe(page) {
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  return page.evaluate(async () => (await window.axe.run(document)).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`));
}

let browser, site, server;
before(async () => {
  const book = join(mkdtempSync(join(tmpdir(), "versus-french-")), "book");
  cpSync(join(repo, "tests/fixtures/browser"), book, { recursive: true });
  const toml = readFileSync(join(book, "book.toml"), "utf8").replace("[book]\n", '[book]\nlanguage = "fr"\n');
  writeFileSync(join(book, "book.toml"), toml);
  site = build(book);
  server = await serve(site);
  browser = await launch();
});
after(async () => { await browser?.close(); server?.close(); });

test("the menu, theme switch, search and copy buttons speak French", async () => {
  const page = await openPage(browser, { permissions: ["clipboard-read", "clipboard-write"] });
  await page.goto(server.base + "samples/index.html");
  assert.equal(await page.locator("html").getAttribute("lang"), "fr");
  assert.equal(await page.locator("#menu-toggle").textContent(), "☰ Menu");
  const theme = page.locator("#theme-toggle");
  assert.equal(await theme.textContent(), "Thème\u00a0: auto");
  await theme.click();
  assert.equal(await theme.textContent(), "Thème\u00a0: clair");
  const copy = page.locator(".copy-button").first();
  assert.equal(await copy.textContent(), "Copier");
  await copy.click();
  await page.waitForFunction(() => document.querySelector(".copy-button").textContent === "Copié");
  await page.keyboard.press("/");
  await page.waitForSelector("#search:not([hidden])");
  await page.fill("#search-input", "alpha");
  await page.waitForFunction(() => /résultats?\.$/.test(document.getElementById("search-status").textContent));
  assert.match(await page.locator("#search-status").textContent(), /^\d+ résultats?\.$/);
  assert.deepEqual(await englishIn(page), []);
  assert.deepEqual(await axe(page), []);
  await page.fill("#search-input", "zzzqqq");
  await page.waitForFunction(() => document.getElementById("search-status").textContent.startsWith("Aucun"));
  assert.equal(await page.locator("#search-status").textContent(), "Aucun résultat pour «\u00a0zzzqqq\u00a0».");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("the matrix's status, caption, buttons and messages speak French", async () => {
  const page = await openMatrix(browser, server.base);
  assert.equal(await page.locator("#vs-status").textContent(), "4 modèles sur 4 à l'écran");
  assert.match(await page.locator("#vs-caption").textContent(), /^Comparaison de 4 modèles sur 4 dimensions, selon la version 2\.0$/);
  assert.equal(await page.locator("#vs-compare").textContent(), "Comparer la sélection");
  assert.equal(await page.locator(".vs-sort").first().getAttribute("aria-label"), "Trier par Modèle");
  assert.equal(await page.locator(".vs-pick").first().getAttribute("aria-label"), "Sélectionner Alpha pour comparer");
  assert.deepEqual(await englishIn(page), []);
  assert.deepEqual(await axe(page), []);
  await page.locator(".vs-pick").nth(0).check();
  await page.locator(".vs-pick").nth(1).check();
  assert.equal(await page.locator("#vs-compare").textContent(), "Comparer la sélection (2)");
  await page.click("#vs-compare");
  assert.equal(await page.locator("#vs-transposed caption").textContent(), "Côte à côte\u00a0: 2 modèles");
  assert.equal(await page.locator("#vs-transposed thead th").first().textContent(), "Dimension");
  await page.click("#vs-compare");
  await page.locator(".vs-pick").nth(1).uncheck();
  await page.click("#vs-transpose");
  assert.equal(await page.locator("#vs-transposed caption").textContent(), "Vue transposée\u00a0: 4 modèles");
  await page.click("#vs-transpose");
  await page.fill("#vs-search", "zzzqqq");
  await page.waitForFunction(() => !document.getElementById("vs-empty").hidden);
  assert.equal(await page.locator("#vs-status").textContent(), "0 modèle sur 4 à l'écran");
  assert.equal(await page.locator("#vs-empty").textContent(), "Rien ne correspond. Assouplissez la recherche «\u00a0zzzqqq\u00a0»\u00a0: sans ce critère, 4 correspondraient.");
  await page.click("#vs-reset");
  await page.locator('input[data-facet="purpose"][value="cpu"]').check();
  assert.match(await page.locator("#vs-status").textContent(), /^\d modèles? sur 4 à l'écran$/);
  await page.locator(".vs-preset").first().click();
  assert.match(await page.locator("#vs-preset-why").textContent(), /^CPU-bound pure Python\u00a0: /);
  assert.deepEqual(await englishIn(page), []);
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("the guide's wizard speaks French, in the site and in the fragment for other docs", async () => {
  for (const path of ["guide/index.html", "embed/guide.html"]) {
    const page = await openPage(browser);
    await page.goto(server.base + path);
    await page.waitForSelector("#vs-wizard:not([hidden])");
    await page.locator(".vs-choices button").first().click();
    assert.equal(await page.locator(".vs-path").textContent(), "Vos réponses\u00a0: CPU-bound");
    assert.deepEqual(await page.locator(".vs-wizard-nav button").allTextContents(), ["Retour", "Recommencer"]);
    await page.locator(".vs-choices button").first().click();
    assert.equal(await page.locator("#vs-wizard h2").textContent(), "Recommandation\u00a0: Alpha");
    const result = (await page.locator("#vs-wizard p:not(.vs-path)").textContent()).trim();
    assert.equal(result, "Needs real parallelism. En savoir plus sur Alpha ou l'afficher dans la matrice.");
    assert.deepEqual(await page.locator("#vs-wizard p:not(.vs-path) a").allTextContents(), ["En savoir plus sur Alpha", "l'afficher dans la matrice"]);
    assert.deepEqual(await englishIn(page), [], path);
    if (path.startsWith("guide")) assert.deepEqual(await axe(page), []);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

test("the matrix embedded in other docs reads its texts from its own fragment", async () => {
  const page = await openPage(browser);
  await page.goto(server.base + "embed/matrix.html");
  await page.waitForSelector("#vs-controls:not([hidden])");
  assert.equal(await page.locator("#vs-status").textContent(), "4 modèles sur 4 à l'écran");
  assert.deepEqual(await englishIn(page), []);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("a malformed lang on the page (an embed's host may have any) leaves the scripts working", async () => {
  // new Intl.PluralRules throws a RangeError for a malformed tag: English rules stand in.
  for (const [path, ready] of [["embed/matrix.html", "#vs-controls:not([hidden])"], ["matrix/index.html", "#vs-controls:not([hidden])"]]) {
    const page = await openPage(browser);
    await page.route("**/" + path, async (route) => {
      const response = await route.fetch();
      const html = await response.text();
      const bad = '<html lang="fr_FR!">';
      const body = html.includes('<html lang="fr">') ? html.replace('<html lang="fr">', bad) : "<!DOCTYPE html>" + bad + html;
      await route.fulfill({ response, body });
    });
    await page.goto(server.base + path);
    assert.equal(await page.locator("html").getAttribute("lang"), "fr_FR!");
    await page.waitForSelector(ready);
    assert.equal(await page.locator("#vs-status").textContent(), "4 modèles sur 4 à l'écran", path);
    if (path.startsWith("matrix")) assert.equal(await page.locator("#theme-toggle").textContent(), "Thème\u00a0: auto");
    assert.deepEqual(page.errors, [], path);
    await page.context().close();
  }
});
