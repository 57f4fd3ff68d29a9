// versus serve with a real browser: an open page reloads by itself after an edit, shows
// the overlay when a change breaks the build, and drops it after the fix.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { launch, openPage, repo } from "./helpers.mjs";

let browser, server, book, base;
before(async () => {
  book = join(mkdtempSync(join(tmpdir(), "versus-serve-book-")), "book");
  cpSync(join(repo, "tests/fixtures/browser"), book, { recursive: true });
  server = spawn(process.env.VERSUS_BIN || join(repo, "target/debug/versus"), ["serve", "--port", "0"], { cwd: book, stdio: ["ignore", "pipe", "inherit"] });
  base = await new Promise((resolve, reject) => {
    createInterface({ input: server.stdout }).once("line", (line) => resolve(line.match(/http:\/\/\S+/)[0]));
    server.once("exit", (code) => reject(new Error(`versus serve exited with ${code}`)));
  });
  browser = await launch();
});
after(async () => { await browser?.close(); server?.kill("SIGINT"); });

test("an open page reloads by itself after an edit, and shows then clears the overlay", async () => {
  const page = await openPage(browser);
  await page.goto(base + "models/alpha/index.html");
  assert.equal(await page.textContent("main h1"), "Alpha");
  const file = join(book, "content/models/alpha.md");
  const original = readFileSync(file, "utf8");

  writeFileSync(file, original.replace("title: Alpha", "title: Alpha edited"));
  await page.waitForFunction(() => document.querySelector("main h1").textContent === "Alpha edited", null, { timeout: 10000 });

  writeFileSync(file, original.replace("startup: large", "startup: enormous"));
  await page.waitForSelector("#versus-overlay", { timeout: 10000 });
  assert.match(await page.textContent("#versus-overlay"), /content\/models\/alpha\.md:8:12: error: `enormous` is not a level of `startup`/);
  assert.equal(await page.textContent("main h1"), "Alpha edited", "the last good page stays underneath");

  writeFileSync(file, original);
  await page.waitForFunction(() => !document.getElementById("versus-overlay") && document.querySelector("main h1").textContent === "Alpha", null, { timeout: 10000 });
  assert.deepEqual(page.external, []);
});
