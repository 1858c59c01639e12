// The HTML reports as a browser shows them: rendered by headless Chromium (installed by
// scripts/setup-chromium.sh when missing), checked in the DOM Chromium dumps, and screenshotted.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, test } from "node:test";
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
after(() => rmSync(tmp, { recursive: true, force: true }));

function chromium(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const profile = mkdtempSync(path.join(tmp, "profile-"));
  const r = spawnSync(
    CHROMIUM,
    ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", `--user-data-dir=${profile}`, ...args],
    { encoding: "utf8", timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
  );
  return { stdout: r.stdout ?? "", stderr: r.stderr ?? "", status: r.status };
}

// Each page is loaded once (a Chromium start costs about a second of CPU): its DOM as Chromium
// serialised it and, in the same load, a screenshot at a desktop size.
const pages = new Map<string, { stdout: string; stderr: string; status: number | null; png: string }>();
function page(file: string) {
  if (!pages.has(file)) {
    const png = path.join(tmp, file.replace(/\.html$/, ".png"));
    pages.set(file, { ...chromium(["--window-size=1400,1000", "--hide-scrollbars", `--screenshot=${png}`, "--dump-dom", pathToFileURL(path.join(tmp, file)).href]), png });
  }
  return pages.get(file)!;
}

/** Text of the first element with this id, as Chromium serialised it (tags stripped). */
function textOf(html: string, re: RegExp): string {
  const m = re.exec(html);
  return m ? m[1].replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim() : "";
}

test("the matrix renders: totals at the top, a known failing cell with observed and expected errors", (t) => {
  if (chromiumProblem) return t.skip(chromiumProblem);
  const r = page("matrix.html");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /<tr class="totals first" id="totals"><th colspan="3">Totals: scenarios<\/th><td>11<\/td><td>11<\/td><\/tr>/);
  const jl023 = textOf(r.stdout, /<tr class="problem" id="row-JL-023">([\s\S]*?)<\/tr>/);
  assert.match(jl023, /JL-023 should A second join fails with WSAEISCONN\. current FAIL 2\/2 observed WSAEINVAL, expected WSAEISCONN FAIL 1\/2/);
  assert.match(textOf(r.stdout, /id="row-JL-018">([\s\S]*?)<\/tr>/), /PASS UNEXPECTED PASS expected FAIL; update the expectations/);
  // The inline script ran (the page is live, not just parsed) and nothing came from the network.
  assert.match(r.stdout, /<input type="checkbox" id="only-problems">/);
});

/** Chart.js sizes each canvas it draws on; an undrawn canvas keeps no style. */
const drawnCanvases = (html: string) => [...html.matchAll(/<canvas id="chart-\d+"[^>]*style="[^"]*box-sizing: border-box[^"]*"/g)].length;

test("the index shows each run's verdict, counts and colour, and Chart.js draws a chart of statuses per area", (t) => {
  if (chromiumProblem) return t.skip(chromiumProblem);
  const r = page("index.html");
  assert.equal(r.status, 0, r.stderr);
  // The fixture run has failures: NOT CONFORMANT, in red, with every status it holds counted.
  const plain = textOf(r.stdout, /<tr class="run v-not">([\s\S]*?)<\/tr>/);
  assert.match(plain, /^plain plain current NOT CONFORMANT 11 /);
  assert.match(r.stdout, /<td class="verdict st-fail" title="failing results: /);
  assert.match(plain, / 3 PASS 4 FAIL 1 UNSUPPORTED 1 NOT TESTABLE 1 TIMEOUT 1 CRASH /);
  assert.match(textOf(r.stdout, /<tr class="run v-not">[\s\S]*?<tr class="run v-not">([\s\S]*?)<\/tr>/), /^wine wine current NOT CONFORMANT 11 .*EXPECTED FAIL.*the run does NOT match its expectations/);
  assert.equal(drawnCanvases(r.stdout), 2, "one drawn chart per run");
  const m = page("matrix.html");
  assert.equal(drawnCanvases(m.stdout), 2, "the matrix draws its charts too");
});

test("a screenshot of the index shows the chart", (t) => {
  if (chromiumProblem) return t.skip(chromiumProblem);
  const { png, ...r } = page("index.html");
  assert.equal(r.status, 0, r.stderr);
  assert.ok(statSync(png).size > 20_000, "screenshot too small to show the table and charts");
  if (process.env.JOINLEAF_KEEP_SCREENSHOT) cpSync(png, process.env.JOINLEAF_KEEP_SCREENSHOT.replace(/(\.png)?$/, "-index.png"));
});

test("the trace and the spec render, with the spec's anchors and side-by-side editions", (t) => {
  if (chromiumProblem) return t.skip(chromiumProblem);
  const trace = page("trace.html");
  assert.equal(trace.status, 0, trace.stderr);
  assert.ok(trace.stdout.indexOf('id="no-scenario"') < trace.stdout.indexOf('id="passing"'));
  assert.match(textOf(trace.stdout, /<h2 id="no-scenario">([\s\S]*?)<\/h2>/), /^Testable entries with no scenario \(3\)$/);
  const spec = page("spec.html");
  assert.equal(spec.status, 0, spec.stderr);
  assert.match(spec.stdout, /<section class="entry" id="JL-031">/);
  assert.match(textOf(spec.stdout, /<table class="sides">([\s\S]*?)<\/table>/), /^legacy current JL-031 FD_CONNECT arrives; no socket named\. legacy: RV 3 JL-032 FD_CONNECT arrives on s\. current: RV 3$/);
});

test("a screenshot of the matrix is a real picture", (t) => {
  if (chromiumProblem) return t.skip(chromiumProblem);
  const { png, ...r } = page("matrix.html");
  assert.equal(r.status, 0, r.stderr);
  assert.ok(statSync(png).size > 20_000, "screenshot too small to show the table");
  assert.deepEqual([...readFileSync(png).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  if (process.env.JOINLEAF_KEEP_SCREENSHOT) cpSync(png, process.env.JOINLEAF_KEEP_SCREENSHOT);
});
