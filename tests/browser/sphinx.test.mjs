// The Sphinx extension of the versus wheel, in examples/sphinx with python-docs-theme: the
// example builds with warnings as errors for html, text and gettext, in French, and in a
// language versus has no catalogue for (Japanese); the gettext catalogue holds the book's
// strings; the embedded matrix works, follows the theme's light and dark modes and shows the
// translations, and in French its own controls too, in a real browser; versus runs again
// only when the book or the language changed, and a broken book fails the docs build at its
// path:line.
// SPHINX_BUILD is a sphinx-build whose environment has the wheel installed (scripts/test.sh).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { launch, openPage, repo } from "./helpers.mjs";

const require = createRequire(import.meta.url);
const sphinxBuild = process.env.SPHINX_BUILD || join(repo, "target/sphinx-venv/bin/sphinx-build");
let browser, project, out;
before(async () => {
  // A copy, so that the .mo files Sphinx compiles stay out of the repository.
  const scratch = mkdtempSync(join(tmpdir(), "versus-sphinx-"));
  project = join(scratch, "docs");
  out = join(scratch, "out");
  // Without any .mo a local build left: a copy would look newer than its .po, and go stale.
  cpSync(join(repo, "examples/sphinx"), project, { recursive: true, filter: (path) => !path.endsWith(".mo") });
  for (const [name, builder, ...extra] of [["html", "html"], ["text", "text"], ["gettext", "gettext"], ["fr", "html", "-D", "language=fr"], ["fr-text", "text", "-D", "language=fr"], ["ja", "html", "-D", "language=ja"]]) {
    sphinx(builder, project, join(out, name), "-D", `versus_book=${repo}`, ...extra).ok();
  }
  browser = await launch();
});
after(async () => { await browser?.close(); });

/** Runs sphinx-build with -W; the result can be asserted to pass or fail. */
function sphinx(builder, source, dest, ...extra) {
  const run = spawnSync(sphinxBuild, ["-W", "--keep-going", "-b", builder, ...extra, source, dest], { encoding: "utf8" });
  const said = `sphinx-build -b ${builder} ${extra.join(" ")}:\n${run.stdout}\n${run.stderr}`;
  return {
    ...run,
    ok() { assert.equal(run.status, 0, said); return run; },
    failed() { assert.notEqual(run.status, 0, said); return run; },
  };
}
const read = (path) => readFileSync(join(out, path), "utf8");

test("the text builder gets docutils tables and lists built from the book's data", () => {
  const text = read("text/index.txt");
  assert.match(text, /\| Dimension +\| Processes +\| Threads/);
  assert.match(text, /\| Tasks at once +\| dozens \[1\] +\| hundreds \[10\]/);
  assert.match(text, /\[1\] Each worker is a whole interpreter/, "notes follow the table");
  assert.match(text, /\* \*\*What does each task spend most of its time on\?\*\*/, "the guide as nested lists");
  assert.match(text, /\| Dimension +\| Threads +\|/, "a model's values");
  assert.match(text, /\| Model +\| Startup impact +\|\n.*\n\| Processes +\| biggest \[6\]/, "one dimension");
});

test("the gettext catalogue has the book's labels, levels, values, notes and guide", () => {
  const pot = read("gettext/index.pot");
  for (const id of [
    "Tasks at once",
    "io-bound",
    "Threads (free-threaded build)",
    "Each worker is a whole interpreter, so pools default to one worker per CPU (``os.process_cpu_count()``, Python 3.13+).",
    "What does each task spend most of its time on?",
    "Threads then run Python code on every core, and share data without copying.",
    "CPU-bound, free-threaded build",
  ]) {
    assert.ok(pot.includes(`msgid "${id}`), `${id} is in the catalogue`);
  }
  assert.match(pot, /#: [^\n]*index\.rst:18\n(#: .*\n)*msgid "Dimension"/, "messages point at the directive");
});

test("a French build translates the tables", () => {
  const text = read("fr-text/index.txt");
  assert.match(text, /\| Critère +\| Processus +\| Threads/);
  assert.match(text, /\| Tâches simultanées +\| dozens \[1\]/, "untranslated strings stay as written");
  assert.match(text, /\[1\] Chaque travailleur est un interpréteur complet/);
  assert.match(text, /\*\*À quoi chaque tâche passe-t-elle le plus de temps \?\*\*/);
  assert.match(text, /\("os.process_cpu_count\(\)",\s+Python 3.13\+\)/, "markup survives translation");
  const html = read("fr/index.html");
  assert.match(html, /<th class="head stub"><p>Critère<\/p><\/th>\n<th class="head"><p>Threads<\/p><\/th>/, "the model's table, in HTML too");
  assert.match(html, /<th class="stub"><p>Coût de démarrage<\/p><\/th>/);
});

test("the embedded matrix filters, and follows python-docs-theme's dark mode with its code", async () => {
  const page = await openPage(browser, { colorScheme: "light" });
  await page.goto(pathToFileURL(join(out, "html/index.html")).href);
  await page.waitForSelector("#vs-controls:not([hidden])");
  await page.check('input[data-facet="purpose"][value="io-bound"]');
  const shown = await page.$$eval("#vs-matrix tbody tr:not([hidden])", (rows) => rows.map((r) => r.dataset.model));
  assert.deepEqual(shown, ["threads", "free-threading", "coroutines"]);
  // An English build's own controls are English, as they always were.
  assert.equal(await page.textContent("#vs-controls details.vs-facets > summary"), "Filters");
  assert.equal(await page.textContent("#vs-transpose"), "Transpose");
  assert.match(await page.textContent("#vs-caption"), /^\d+ models compared on \d+ dimensions/);
  assert.match(await page.textContent("#vs-status"), /^3 of \d+ models shown$/);
  await page.locator("#vs-wizard .vs-choices button").first().click();
  assert.deepEqual(await page.$$eval("#vs-wizard .vs-wizard-nav button", (b) => b.map((x) => x.textContent)), ["Back", "Start again"]);
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

test("the French page shows the translated strings in the working fragments", async () => {
  const page = await openPage(browser, { colorScheme: "dark" });
  await page.goto(pathToFileURL(join(out, "fr/index.html")).href);
  await page.waitForSelector("#vs-controls:not([hidden])");
  assert.equal(await page.getAttribute("html", "lang"), "fr");
  assert.equal(await page.textContent('#vs-matrix thead th[data-key="scale"]'), "Tâches simultanées");
  assert.equal(await page.textContent('#vs-matrix tbody tr[data-model="processes"] th a'), "Processus");
  assert.match(await page.textContent("#vs-note-1"), /^Chaque travailleur est un interpréteur complet/);
  assert.equal(await page.textContent('#vs-note-1 a[href^="https://docs.python.org"]'), "concurrent.futures");
  // The facet's label is French, its value (and so the filter and the URL) is the book's.
  const facet = page.locator('label:has(input[data-facet="purpose"][value="io-bound"])');
  assert.match(await facet.textContent(), /limité par les E\/S/);
  await facet.locator("input").check();
  const shown = await page.$$eval("#vs-matrix tbody tr:not([hidden])", (rows) => rows.map((r) => r.dataset.model));
  assert.deepEqual(shown, ["threads", "free-threading", "coroutines"]);
  await page.click("#vs-reset");
  await page.fill("#vs-search", "Limité par les E/S");
  assert.deepEqual(await page.$$eval("#vs-matrix tbody tr:not([hidden])", (rows) => rows.map((r) => r.dataset.model)), ["threads", "free-threading", "coroutines"], "the free-text filter finds French words");
  await page.click("#vs-reset");
  await page.click('button.vs-preset[data-preset="cpu-bound-free-threaded-build"]');
  // The preset's name and reason from the .po, put together by versus's French (matrix-preset-why).
  assert.equal(await page.textContent("#vs-preset-why"), "Calcul, build sans GIL\u00a0: Les threads exécutent alors du code Python sur tous les cœurs et partagent les données sans copie.");
  assert.equal(await page.evaluate(() => document.querySelector(".vs-root").dataset.vsTheme), "dark");
  await page.waitForSelector("#vs-wizard:not([hidden])");
  assert.match(await page.textContent("#vs-wizard"), /À quoi chaque tâche passe-t-elle le plus de temps \?/, "the wizard asks in French");
  // The fragments' own controls, caption and script messages are in the documentation's
  // language too: versus built the book with --language fr.
  assert.equal(await page.textContent("#vs-controls details.vs-facets > summary"), "Filtres");
  assert.equal(await page.textContent("#vs-transpose"), "Transposer");
  assert.equal(await page.textContent("#vs-reset"), "Réinitialiser");
  assert.match(await page.textContent("#vs-caption"), /^Comparaison de \d+ modèles sur \d+ dimensions/);
  assert.equal(await page.textContent('#vs-matrix thead th.vs-model-col'), "Modèle");
  await page.click("#vs-reset");
  await facet.locator("input").check();
  assert.match(await page.textContent("#vs-status"), /^3 modèles sur \d+ à l'écran$/, "the script's status line");
  await page.locator("#vs-wizard .vs-choices button").first().click();
  assert.deepEqual(await page.$$eval("#vs-wizard .vs-wizard-nav button", (b) => b.map((x) => x.textContent)), ["Retour", "Recommencer"], "the wizard's buttons");
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.external, []);
});

test("a language versus has no catalogue for builds without a warning, with the book's own controls", () => {
  const html = read("ja/index.html");
  assert.match(html, /<html lang="ja"/);
  assert.match(html, /<summary>Filters<\/summary>/);
  assert.match(html, /id="vs-transpose" aria-pressed="false">Transpose</);
  assert.match(html, /"guide-start-again":"Start again"/);
});

for (const scheme of ["light", "dark"]) {
  test(`axe-core finds no violations on the Sphinx page (${scheme})`, async () => {
    const page = await openPage(browser, { colorScheme: scheme });
    await page.goto(pathToFileURL(join(out, "html/index.html")).href);
    await page.waitForSelector("#vs-controls:not([hidden])");
    await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
    const violations = await page.evaluate(async () => (await window.axe.run(document)).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`));
    assert.deepEqual(violations, []);
  });
}

test("versus runs again only when the book changed, and a broken book fails -W at its path:line", () => {
  const book = mkdtempSync(join(tmpdir(), "versus-sphinx-book-"));
  cpSync(join(repo, "book.toml"), join(book, "book.toml"));
  cpSync(join(repo, "content"), join(book, "content"), { recursive: true });
  const dest = join(out, "incremental");
  const build = () => sphinx("text", project, dest, "-D", `versus_book=${book}`);
  const first = build().ok().stdout;
  assert.equal(first.match(/versus: building /g)?.length, 1, "once for the page's four directives");
  const again = build().ok().stdout;
  assert.doesNotMatch(again, /versus: building /, "an unchanged book is not built again");
  assert.match(again, /0 added, 0 changed, 0 removed/);

  const model = join(book, "content/models/threads.md");
  const source = readFileSync(model, "utf8");
  writeFileSync(model, source.replace("title: Threads\n", "title: OS threads\n"));
  const changed = build().ok().stdout;
  assert.match(changed, /versus: building /);
  assert.match(changed, /0 added, 1 changed, 0 removed/, "the page that shows the book is read again");
  assert.match(readFileSync(join(dest, "index.txt"), "utf8"), /\| Dimension +\| Processes +\| OS threads/);

  writeFileSync(model, source.replace("values:\n", "values:\n  paralelism: yes\n"));
  const broken = build().failed();
  const line = source.split("\n").indexOf("values:") + 2;
  assert.match(broken.stderr, new RegExp(`${model.replaceAll("/", "\\/")}:${line}: WARNING: versus error: unknown dimension \`paralelism\`\\nhelp: did you mean \`parallelism\`\\?`));
});

test("another language of the documentation builds the book again, in that language", () => {
  const dest = join(out, "languages");
  const build = (language) => sphinx("text", project, dest, "-D", `versus_book=${repo}`, "-D", `language=${language}`).ok().stdout;
  assert.match(build("fr_FR"), /versus: building .* \(language fr\)\n/, "fr_FR uses versus's French");
  assert.doesNotMatch(build("fr_FR"), /versus: building /, "an unchanged language is not built again");
  assert.doesNotMatch(build("fr_CA"), /versus: building /, "another French needs no other build");
  const english = build("en");
  assert.match(english, /versus: building .* \(language en\)\n/);
  assert.match(build("ja"), /versus: building [^\n(]*\n/, "without a catalogue, in the book's own language");
});

test("a directive naming a model the book lacks is a warning at the directive", () => {
  const docs = mkdtempSync(join(tmpdir(), "versus-sphinx-docs-"));
  cpSync(join(project, "conf.py"), join(docs, "conf.py"));
  writeFileSync(join(docs, "index.rst"), "Title\n=====\n\n.. versus-model:: nope\n");
  const run = sphinx("text", docs, join(docs, "_build"), "-D", `versus_book=${repo}`, "-D", "templates_path=").failed();
  assert.match(run.stderr, /index\.rst:4: WARNING: versus: the book at .* has no model nope/);
  rmSync(docs, { recursive: true });
});
