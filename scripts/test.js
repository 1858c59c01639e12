// `npm test`: every part of the project's test, each timed. Parts run side by side (as many at
// once as there are cores) once what they need is done; each part's output is printed when it
// ends, followed by a line with its time. Every run a part makes goes to a reports
// folder of its own (under $JOINLEAF_TEST_REPORTS, else a temporary one), never to the user's
// reports/.
//   node scripts/test.js            all parts
//   node scripts/test.js unit lint  only these parts (and what they need)
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.join(__dirname, "..");
// The Wine lane script loads through tsx (esbuild); the lint and the tests run compiled, from
// dist/ (the build part compiles them with everything else): a test process under tsx spent
// half a second or more transforming its imports, and the model under tsx runs 2.7 times slower
// (esbuild's keepNames names every closure it creates). One test file from source:
// node --import tsx --test test/F.
const ts = ["--import", "tsx"];
const bin = path.join(root, "bin", "joinleaf.js");
// No test file may run longer than this: a hang fails its file and the part goes on, rather
// than holding npm test until CI's own limit (the slowest file takes well under a minute).
const TEST_TIMEOUT = "--test-timeout=900000";
const testFiles = (keep) =>
  fs.readdirSync(path.join(root, "test")).filter((f) => f.endsWith(".test.ts") && keep(f)).sort().map((f) => path.join("dist", "test", f.replace(/\.ts$/, ".js")));

/** Test files that are a part of their own, not of "unit". */
const OWN_PART = ["package.test.ts", "python-agent.test.ts", "native-wine.test.ts"];
/** Test files that share one process in "unit" (test/one-process.ts says which may and why). */
const ONE_PROCESS = JSON.parse(fs.readFileSync(path.join(root, "test", "one-process.json"), "utf8"));

/**
 * Where the parts' temporary files go (their TMPDIR): one folder per run, on a RAM-backed
 * filesystem when the machine has one with room, else in the usual temp folder; it is removed at
 * the end, with whatever a test left there. Creating a file on this machine's disk costs about
 * 0.5 ms of CPU (on /dev/shm 0.01 ms): the package test's npm install creates thousands (~100 MB,
 * hence the 1 GiB), the other tests some 1,700.
 */
function scratchRoot() {
  try {
    const s = fs.statfsSync("/dev/shm");
    if (s.bavail * s.bsize >= 1024 ** 3) return "/dev/shm";
  } catch {
    // no such folder (not Linux): the temp folder
  }
  return os.tmpdir();
}

/**
 * The parts: name, command, what must have passed first. Adding a part is adding a line. A part
 * that mostly waits on real time (`waits`) runs beside the others without taking a core's slot.
 */
const PARTS = [
  { name: "build", cmd: ["node", "scripts/build.js", "--if-stale"], why: "type-check everything, compile dist/" },
  { name: "lint", cmd: ["node", "dist/src/lint-spec.js"], after: ["build"], why: "spec lint" },
  // After the build: the tests that start `joinleaf` then run the compiled one (no TypeScript loader per process).
  // One test file more than there are cores: several spend much of their time waiting on agents, timers or a browser.
  { name: "unit", cmd: ["node", "--test", TEST_TIMEOUT, `--test-concurrency=${os.availableParallelism() + 1}`, ...testFiles((f) => !OWN_PART.includes(f) && !ONE_PROCESS.includes(f)), "dist/test/one-process.js"], after: ["build"], why: "unit tests" },
  { name: "package", cmd: ["node", "--test", TEST_TIMEOUT, "dist/test/package.test.js"], after: ["build"], why: "npm pack, install elsewhere, run" },
  { name: "python-agent", cmd: ["node", "--test", TEST_TIMEOUT, "dist/test/python-agent.test.js"], after: ["build"], waits: true, why: "the Python example agents, one on real UDP sockets in a network namespace (it waits on real time)" },
  { name: "equivalence", cmd: ["node", bin, "equivalence", "--quiet"], after: ["build"], why: "in process vs through an agent, current edition" },
  { name: "equivalence-legacy", cmd: ["node", bin, "equivalence", "--edition", "legacy", "--quiet"], after: ["build"], why: "the same, legacy edition" },
  { name: "explore", cmd: ["node", bin, "explore", "--driver", "simulator", "--runs", "100", "--seed", "20261202"], after: ["build"], why: "fixed-seed random step sequences against every conformant variant" },
  { name: "variants", cmd: ["node", bin, "variants", ...(process.env.CI ? [] : ["--sample"])], after: ["build"], why: "the suite against conformant (no FAIL) and broken (caught) variants of the model: a fixed sample, every variant under CI" },
  // The Wine lane: its own tests of the native driver under Wine, then the suite (both skip when Wine is not set up).
  // They keep the usual TMPDIR: the wineserver they start outlives them, and must not be left
  // with files in a folder that is removed at the end.
  { name: "wine-tests", cmd: ["node", "--test", TEST_TIMEOUT, "dist/test/native-wine.test.js"], after: ["build"], slow: true, systemTmp: true, why: "the native driver under Wine" },
  { name: "wine", cmd: ["node", ...ts, "scripts/wine-lane.ts"], after: ["build", "wine-tests"], slow: true, systemTmp: true, why: "the Wine lane (skipped when not set up)" },
];

async function main(wanted) {
  const unknown = wanted.filter((w) => !PARTS.some((p) => p.name === w));
  if (unknown.length) {
    process.stderr.write(`test: unknown part(s) ${unknown.join(", ")}; parts: ${PARTS.map((p) => p.name).join(", ")}\n`);
    return 2;
  }
  const chosen = new Set(wanted.length ? wanted : PARTS.map((p) => p.name));
  const parts = PARTS.filter((p) => chosen.has(p.name));
  // JOINLEAF_TEST_REPORTS keeps them somewhere known (CI publishes their junit.xml).
  const reports = process.env.JOINLEAF_TEST_REPORTS || fs.mkdtempSync(path.join(os.tmpdir(), "joinleaf-test-reports-"));
  const scratch = fs.mkdtempSync(path.join(scratchRoot(), "joinleaf-test-tmp-"));
  const slots = Math.max(1, os.availableParallelism());
  const state = new Map(parts.map((p) => [p.name, "waiting"]));
  const times = new Map();
  const started = Date.now();
  let running = 0;
  let fastDone = started;

  await new Promise((resolve) => {
    const next = () => {
      for (const p of parts) {
        if (state.get(p.name) !== "waiting" || (!p.waits && running >= slots)) continue;
        const needs = (p.after ?? []).filter((n) => state.has(n));
        if (needs.some((n) => state.get(n) === "failed" || state.get(n) === "not run")) {
          state.set(p.name, "not run");
          process.stdout.write(`--- ${p.name}: NOT RUN (${needs.filter((n) => state.get(n) !== "passed").join(", ")} failed)\n`);
          continue;
        }
        if (needs.some((n) => state.get(n) !== "passed")) continue;
        // A slow part (the Wine lane) starts when the others are done, so it does not slow them.
        if (p.slow && parts.some((q) => !q.slow && ["waiting", "running"].includes(state.get(q.name)))) continue;
        if (!p.waits) running++;
        state.set(p.name, "running");
        process.stdout.write(`... ${p.name} started\n`);
        const t0 = Date.now();
        const child = spawn(p.cmd[0] === "node" ? process.execPath : p.cmd[0], p.cmd.slice(1), {
          cwd: root,
          env: { ...process.env, ...(p.systemTmp ? {} : { TMPDIR: scratch }), JOINLEAF_REPORTS: path.join(reports, p.name) },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (out += d));
        child.on("close", (code) => {
          if (!p.waits) running--;
          const s = (Date.now() - t0) / 1000;
          times.set(p.name, s);
          if (!p.slow) fastDone = Date.now();
          state.set(p.name, code === 0 ? "passed" : "failed");
          process.stdout.write(`--- ${p.name} (${p.why}) ---\n${out}${out.endsWith("\n") || !out ? "" : "\n"}`);
          process.stdout.write(`=== ${p.name}: ${code === 0 ? "ok" : `FAILED (exit ${code})`} in ${s.toFixed(1)} s\n`);
          next();
        });
      }
      if ([...state.values()].every((s) => s !== "waiting" && s !== "running")) resolve();
    };
    next();
  });

  const wall = (Date.now() - started) / 1000;
  const failed = parts.filter((p) => state.get(p.name) !== "passed");
  process.stdout.write(`\ntimes: ${parts.map((p) => `${p.name} ${times.has(p.name) ? `${times.get(p.name).toFixed(1)} s` : "-"}`).join(", ")}\n`);
  const slow = parts.filter((p) => p.slow && times.has(p.name));
  const fast = slow.length ? `; without ${slow.map((p) => p.name).join(", ")}: ${((fastDone - started) / 1000).toFixed(1)} s` : "";
  const beside = parts.filter((p) => p.waits).map((p) => p.name);
  process.stdout.write(`npm test: ${failed.length ? `FAILED (${failed.map((p) => p.name).join(", ")})` : "all parts passed"} in ${wall.toFixed(1)} s wall${fast}, ${slots} parts at once${beside.length ? ` (and ${beside.join(", ")} beside them)` : ""}; runs written under ${reports}\n`);
  // What the parts left in their temporary folder goes, unless a part failed and it may tell why.
  if (failed.length) process.stdout.write(`temporary files of the parts kept under ${scratch}\n`);
  else fs.rmSync(scratch, { recursive: true, force: true });
  // The plain closing line CI tools read: parts passed and failed.
  process.stdout.write(`parts: ${parts.length - failed.length} passed, ${failed.length} failed\n`);
  return failed.length ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
