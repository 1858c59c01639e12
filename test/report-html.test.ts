// The HTML reports as a browser shows them: rendered by headless Chromium (installed by
// scripts/setup-chromium.sh when missing), checked in the DOM Chromium serialises, and screenshotted.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, test } from "node:test";
import { Browser, chromium } from "playwright-core";
import { loadCatalogue } from "../src/report/catalogue";
import { countsByArea } from "../src/report/chart";
import { renderIndexHtml } from "../src/report/index-page";
import { buildMatrix, renderMatrixHtml } from "../src/report/matrix";
import { discoverRuns, loadRuns } from "../src/report/runs";
import { buildSpec, renderSpecHtml } from "../src/report/spec";
import { loadSuite } from "../src/report/suite";
import { buildTrace, renderTraceHtml } from "../src/report/trace";
import { PACKAGE_ROOT } from "../src/package-root";

const ROOT = PACKAGE_ROOT;
const FIXTURES = path.join(PACKAGE_ROOT, "test", "fixtures");
const SUITE = path.join(FIXTURES, "suite");
const CHROMIUM = "/usr/bin/chromium";
const tmp = mkdtempSync(path.join(tmpdir(), "joinleaf-html-"));
let chromiumProblem: string | null = null;

before(() => {
  const setup = spawnSync("bash", [path.join(ROOT, "scripts", "setup-chromium.sh")], { encoding: "utf8", timeout: 600_000 });
  if (setup.status !== 0) chromiumProblem = `scripts/setup-chromium.sh failed: ${(setup.stderr || setup.stdout || String(setup.error)).trim().split("\n").slice(-2).join(" ")}`;
  const catalogue = loadCatalogue(path.join(SUITE, "features", "catalogue.yaml"));
  const suite = loadSuite(SUITE);
  for (const name of ["plain", "wine"]) {
    mkdirSync(path.join(tmp, "reports", name), { recursive: true });
    cpSync(path.join(FIXTURES, "outcomes.ndjson"), path.join(tmp, "reports", name, "messages.ndjson"));
    writeFileSync(path.join(tmp, "reports", name, "run.json"), JSON.stringify({ run: name, driver: name, edition: "current" }));
  }
  const runs = loadRuns(discoverRuns(path.join(tmp, "reports")), { expectations: { wine: path.join(FIXTURES, "expectations", "fixture.yaml") } });
  const charts = runs.map((r) => ({ run: r.info.run, data: countsByArea(r.results, catalogue) }));
  writeFileSync(path.join(tmp, "matrix.html"), renderMatrixHtml(buildMatrix(runs, catalogue), { charts }));
  writeFileSync(path.join(tmp, "index.html"), renderIndexHtml(tmp, runs.map((run) => ({ run })), suite));
  writeFileSync(path.join(tmp, "trace.html"), renderTraceHtml(buildTrace(catalogue, suite, runs)));
  writeFileSync(path.join(tmp, "spec.html"), renderSpecHtml(buildSpec(catalogue, suite)));
});
after(async () => {
  await (await browser)?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/**
 * One Chromium for every page (a start costs about a second of CPU), driven by Playwright. Each
 * page is loaded once, at a desktop size: the DOM as Chromium serialises it, a screenshot (of the
 * pages in SCREENSHOTS), the errors its scripts threw and every URL it asked for.
 */
let browser: Promise<Browser> | null = null;
interface Loaded {
  html: string;
  png: string;
  scriptErrors: string[];
  requests: string[];
}
const pages = new Map<string, Promise<Loaded>>();
/** The pages whose screenshot a test below looks at (the others are not taken). */
const SCREENSHOTS = new Set(["index.html", "matrix.html"]);
function page(file: string): Promise<Loaded> {
  if (!pages.has(file)) pages.set(file, load(file));
  return pages.get(file)!;
}
async function load(file: string): Promise<Loaded> {
  browser ??= chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-quic"], timeout: 60_000 });
  const tab = await (await browser).newPage({ viewport: { width: 1400, height: 1000 } });
  const scriptErrors: string[] = [];
  const requests: string[] = [];
  tab.on("pageerror", (e) => scriptErrors.push(e.message));
  tab.on("request", (r) => requests.push(r.url()));
  await tab.goto(pathToFileURL(path.join(tmp, file)).href, { waitUntil: "load" });
  const html = await tab.content();
  const png = path.join(tmp, file.replace(/\.html$/, ".png"));
  if (SCREENSHOTS.has(file)) await tab.screenshot({ path: png });
  await tab.close();
  return { html, png, scriptErrors, requests };
}

/** The page loaded without a script error and asked for nothing but local files (the reports work offline). */
function assertSelfContained(r: Loaded): void {
  assert.deepEqual(r.scriptErrors, []);
  assert.deepEqual(r.requests.filter((u) => !u.startsWith("file:")), []);
}

/** Text of the first element with this id, as Chromium serialised it (tags stripped). */
function textOf(html: string, re: RegExp): string {
  const m = re.exec(html);
  return m ? m[1].replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim() : "";
}

test("the matrix renders: totals at the top, a known failing cell with observed and expected errors", async (t) => {
  if (chromiumProblem) return t.skip(chromiumProblem);
  const r = await page("matrix.html");
  assertSelfContained(r);
  assert.match(r.html, /<tr class="totals first" id="totals"><th colspan="3">Totals: scenarios<\/th><td>11<\/td><td>11<\/td><\/tr>/);
  const jl023 = textOf(r.html, /<tr class="problem" id="row-JL-023">([\s\S]*?)<\/tr>/);
  assert.match(jl023, /JL-023 should A second join fails with WSAEISCONN\. current FAIL 2\/2 observed WSAEINVAL, expected WSAEISCONN FAIL 1\/2/);
  assert.match(textOf(r.html, /id="row-JL-018">([\s\S]*?)<\/tr>/), /PASS UNEXPECTED PASS expected FAIL; update the expectations/);
  // The inline script ran (the page is live, not just parsed).
  assert.match(r.html, /<input type="checkbox" id="only-problems">/);
});

/** Chart.js sizes each canvas it draws on; an undrawn canvas keeps no style. */
const drawnCanvases = (html: string) => [...html.matchAll(/<canvas id="chart-\d+"[^>]*style="[^"]*box-sizing: border-box[^"]*"/g)].length;

test("the index shows each run's verdict, counts and colour, and Chart.js draws a chart of statuses per area", async (t) => {
  if (chromiumProblem) return t.skip(chromiumProblem);
  const r = await page("index.html");
  assertSelfContained(r);
  // The fixture run has failures: NOT CONFORMANT, in red, with every status it holds counted.
  const plain = textOf(r.html, /<tr class="run v-not">([\s\S]*?)<\/tr>/);
  assert.match(plain, /^plain plain current NOT CONFORMANT 11 /);
  assert.match(r.html, /<td class="verdict st-fail" title="failing results: /);
  assert.match(plain, / 3 PASS 4 FAIL 1 UNSUPPORTED 1 NOT TESTABLE 1 TIMEOUT 1 CRASH /);
  assert.match(textOf(r.html, /<tr class="run v-not">[\s\S]*?<tr class="run v-not">([\s\S]*?)<\/tr>/), /^wine wine current NOT CONFORMANT 11 .*EXPECTED FAIL.*the run does NOT match its expectations/);
  assert.equal(drawnCanvases(r.html), 2, "one drawn chart per run");
  const m = await page("matrix.html");
  assert.equal(drawnCanvases(m.html), 2, "the matrix draws its charts too");
});

test("a screenshot of the index shows the chart", async (t) => {
  if (chromiumProblem) return t.skip(chromiumProblem);
  const r = await page("index.html");
  assertSelfContained(r);
  assert.ok(statSync(r.png).size > 20_000, "screenshot too small to show the table and charts");
  if (process.env.JOINLEAF_KEEP_SCREENSHOT) cpSync(r.png, process.env.JOINLEAF_KEEP_SCREENSHOT.replace(/(\.png)?$/, "-index.png"));
});

test("the trace and the spec render, with the spec's anchors and side-by-side editions", async (t) => {
  if (chromiumProblem) return t.skip(chromiumProblem);
  const trace = await page("trace.html");
  assertSelfContained(trace);
  assert.ok(trace.html.indexOf('id="no-scenario"') < trace.html.indexOf('id="passing"'));
  assert.match(textOf(trace.html, /<h2 id="no-scenario">([\s\S]*?)<\/h2>/), /^Testable entries with no scenario \(3\)$/);
  const spec = await page("spec.html");
  assertSelfContained(spec);
  assert.match(spec.html, /<section class="entry" id="JL-031">/);
  assert.match(textOf(spec.html, /<table class="sides">([\s\S]*?)<\/table>/), /^legacy current JL-031 FD_CONNECT arrives; no socket named\. legacy: RV 3 JL-032 FD_CONNECT arrives on s\. current: RV 3$/);
});

test("a screenshot of the matrix is a real picture", async (t) => {
  if (chromiumProblem) return t.skip(chromiumProblem);
  const r = await page("matrix.html");
  assertSelfContained(r);
  assert.ok(statSync(r.png).size > 20_000, "screenshot too small to show the table");
  assert.deepEqual([...readFileSync(r.png).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  if (process.env.JOINLEAF_KEEP_SCREENSHOT) cpSync(r.png, process.env.JOINLEAF_KEEP_SCREENSHOT);
});
