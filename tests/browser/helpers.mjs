// Shared helpers: build a book with the real versus binary, serve it under a sub-path on
// loopback, and start Debian's Chromium. A browser that cannot start fails the tests.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, existsSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, extname, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const repo = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const versus = process.env.VERSUS_BIN || join(repo, "target", "debug", "versus");

/** Builds the book at `bookDir` into a fresh temporary folder; returns the site's folder. */
export function build(bookDir) {
  const dest = join(mkdtempSync(join(tmpdir(), "versus-browser-")), "site");
  execFileSync(versus, ["build", bookDir, "--dest", dest], { stdio: "pipe" });
  return dest;
}

const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml", ".xml": "application/xml" };

/** Serves `root` at http://127.0.0.1:PORT`prefix`; resolves to { base, close }. */
export function serve(root, prefix = "/3/howto/concurrency/") {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!path.startsWith(prefix)) { res.writeHead(404).end(); return; }
    let file = resolve(root, "." + sep + path.slice(prefix.length));
    if (!file.startsWith(root)) { res.writeHead(404).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) { res.writeHead(404, { "content-type": types[".html"] }).end(readFileSync(join(root, "404.html"))); return; }
    res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" }).end(readFileSync(file));
  });
  return new Promise((done) => server.listen(0, "127.0.0.1", () => {
    done({ base: `http://127.0.0.1:${server.address().port}${prefix}`, close: () => server.close() });
  }));
}

/** Debian's Chromium, headless, with nothing that reaches the network by itself. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** A new page that records every request leaving `allowed` origins. */
export async function openPage(browser, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.external = [];
  page.errors = [];
  page.on("request", (request) => {
    const url = request.url();
    if (!/^(http:\/\/127\.0\.0\.1:|file:|data:|about:)/.test(url)) page.external.push(url);
  });
  page.on("pageerror", (error) => page.errors.push(String(error)));
  return page;
}

/** The matrix page at `base` (with an optional `#?state`), once its script has set it up. */
export async function openMatrix(browser, base, hash = "") {
  const page = await openPage(browser);
  await page.goto(base + "matrix/index.html" + hash);
  await page.waitForSelector("#vs-controls:not([hidden])");
  return page;
}

/** Every HTML page of a built site, as paths relative to the site root. */
export function htmlPages(site) {
  return execFileSync("find", [site, "-name", "*.html"], { encoding: "utf8" })
    .trim().split("\n").map((p) => p.slice(site.length + 1)).filter((p) => !p.startsWith("embed/")).sort();
}

/** The models shown in the matrix, in order. */
export function shownModels(page) {
  return page.$$eval("#vs-matrix tbody tr:not([hidden])", (rows) => rows.map((r) => r.dataset.model));
}
