// How a run treats the user's files and their mistakes: setup mistakes refused before the first
// scenario (one line, exit 2, no run folder, the previous run intact), SIGINT keeping the
// previous run, certify and expectations never deleting or overwriting what is not theirs.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { inKernelFilesystem } from "../src/conformance-options";
import { PACKAGE_ROOT } from "../src/package-root";
import { cliHere } from "./cli-here";

const root = PACKAGE_ROOT;
const bin = path.join(root, "bin", "joinleaf.js");
const tmp = mkdtempSync(path.join(os.tmpdir(), "joinleaf-cli-run-"));
const reports = path.join(tmp, "reports");
const hangingAgent = `MODE=hang "${process.execPath}" "${path.join(root, "test", "agents", "misbehaving-agent.js")}"`;

/** `joinleaf ARGS` in this process (the SIGINT and listen cases below spawn bin/joinleaf.js). */
const cli = (args: string[], reportsDir = reports) => cliHere(args, reportsDir);

const runJson = (run: string) => readFileSync(path.join(reports, run, "run.json"), "utf8");

// A part of the suite with scenarios that pass and scenarios no program can check (certify.test
// runs the whole suite, and checks that its run.json says so).
const SLICE = "@untestable or @needs:qos";

test("a run of part of the suite says so; its console summary speaks in the suite's statuses, never Cucumber's \"skipped\"", async () => {
  const r = await cli(["conformance", "--tags", SLICE, "--run", "keep"]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const info = JSON.parse(runJson("keep"));
  assert.equal(info.driver, "simulator");
  assert.equal(info.tags, SLICE);
  assert.equal(info.full, false);
  const summary = r.stdout.split("\n").find((l) => /^\d+ scenarios: /.test(l));
  assert.ok(summary, r.stdout);
  assert.match(summary!, /\d+ PASS/);
  assert.match(summary!, /\d+ NOT TESTABLE/, "the simulator run has @untestable scenarios");
  assert.doesNotMatch(r.stdout, /skipped/i);
});

test("setup mistakes: one line, exit 2, before any scenario; no run folder; the previous run intact", async () => {
  const before = runJson("keep");
  for (const [args, re] of [
    [["--tags", "@no-such-tag"], /^joinleaf: --tags "@no-such-tag" selects no scenario of the current edition$/],
    [["--driver", "remote", "--connect", "127.0.0.1:1", "--token", "t"], /^joinleaf: the remote driver did not start, so nothing ran: .*ECONNREFUSED/],
    [["--driver", "remote", "--connect", "nonsense", "--token", "t"], /^joinleaf: the remote driver did not start, so nothing ran: --connect wants host:port/],
    [["--driver", "remote", "--agent", "/nonexistent/agent"], /^joinleaf: the remote driver did not start, so nothing ran: the agent exited/],
    [["--driver", "remote", "--agent", "exit 3"], /^joinleaf: the remote driver did not start, so nothing ran: the agent exited \(code 3\)/],
    // The driver starts while the tags are read; a mistake in the tags is still the one reported.
    [["--driver", "remote", "--agent", "exit 3", "--tags", "@no-such-tag"], /^joinleaf: --tags "@no-such-tag" selects no scenario of the current edition$/],
    [["--run", "../outside"], /^joinleaf: --run wants a plain folder name/],
    [["--run", ""], /^joinleaf: --run wants a plain folder name/],
    [["--run", "a/b"], /^joinleaf: --run wants a plain folder name/],
  ] as Array<[string[], RegExp]>) {
    // In this process, as the run above: each mistake stops before a scenario runs.
    const r = await cliHere(["conformance", ...args, "--run", args.includes("--run") ? args[args.indexOf("--run") + 1] : "keep"], reports);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr.trimEnd(), re, args.join(" "));
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, `one line: ${r.stderr}`);
    assert.doesNotMatch(r.stdout, /\d+ scenarios:/, "no scenario ran");
    assert.equal(runJson("keep"), before, "the previous run is intact");
  }
  assert.deepEqual(readdirSync(reports).sort(), ["keep"], "no other folder written (nor a staging one left)");
  assert.ok(!existsSync(path.join(tmp, "outside")));
});

test("an agent started for a run that a setup mistake stops is stopped with it", async () => {
  // The run is in this process, so its agent (a shell, then Node) is a child of this one; the
  // tests of this file run one at a time. Read from /proc: no ps needed on the machine.
  const agents = () =>
    readdirSync("/proc")
      .filter((d) => /^\d+$/.test(d))
      .flatMap((pid) => {
        try {
          const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
          const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
          const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
          return Number(ppid) === process.pid && state !== "Z" && args.includes(" agent --driver simulator") ? [args] : [];
        } catch {
          return []; // gone meanwhile
        }
      });
  const agent = `exec "${process.execPath}" "${bin}" agent --driver simulator`;
  const r = await cli(["conformance", "--driver", "remote", "--agent", agent, "--tags", "@no-such-tag", "--run", "keep"]);
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /selects no scenario/);
  for (let i = 0; i < 50 && agents().length; i++) await new Promise((res) => setTimeout(res, 100));
  assert.deepEqual(agents(), [], "no agent left running 5 s after the run stopped");
});

test("a run none of whose scenarios started is no result: exit 2, one line saying so, the previous run intact", async () => {
  const before = runJson("keep");
  // Every worker of a parallel run exits before it loads anything: the harness never got going.
  const exitAtOnce = path.join(tmp, "exit-at-once.js");
  writeFileSync(exitAtOnce, "process.exit(1);\n");
  const saved = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = `--require ${exitAtOnce}`;
  let r: Awaited<ReturnType<typeof cli>>;
  try {
    r = await cli(["conformance", "--parallel", "2", "--tags", SLICE, "--run", "keep"]);
  } finally {
    if (saved === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = saved;
  }
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr.trimEnd(), /^joinleaf: none of the [1-9]\d* scenarios started \(the errors above say why\); .*keep\/ still holds the previous run$/);
  assert.equal(runJson("keep"), before, "the previous run is intact");
  assert.ok(!readdirSync(reports).includes(".incomplete"), "no staging folder left");
});

test("a reports folder under /proc is refused at once", async () => {
  const r = await cli(["conformance"], "/proc/joinleaf-reports");
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^joinleaf: \/proc\/joinleaf-reports is not a place for reports/);
});

test("kernel folders are refused for reports and bundles, but /dev/shm is an ordinary folder in RAM", () => {
  for (const p of ["/proc", "/proc/self/x", "/sys/kernel", "/dev", "/dev/null"]) assert.equal(inKernelFilesystem(p), true, p);
  for (const p of ["/dev/shm", "/dev/shm/reports", "/devices", "/tmp/dev/x"]) assert.equal(inKernelFilesystem(p), false, p);
});

test("SIGINT mid-run: exit 130, says where the partial run is, the previous run of the same name intact", { timeout: 120_000 }, async () => {
  const before = runJson("keep");
  // The hanging agent greets, then never answers: the first scenario waits, and we interrupt it.
  const child = spawn(process.execPath, [bin, "conformance", "--driver", "remote", "--agent", hangingAgent, "--call-timeout", "100000", "--run", "keep"], {
    cwd: tmp,
    env: { ...process.env, JOINLEAF_REPORTS: reports },
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const staging = path.join(reports, ".incomplete");
  const until = Date.now() + 90_000;
  const started = () =>
    existsSync(staging) && readdirSync(staging).some((d) => existsSync(path.join(staging, d, "messages.ndjson")) && readFileSync(path.join(staging, d, "messages.ndjson"), "utf8").includes("testCaseStarted"));
  while (!started() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  assert.ok(started(), "the run started a scenario");
  child.kill("SIGINT");
  assert.equal(await exited, 130, stderr);
  assert.match(stderr, /interrupted; what ran so far is in .*\.incomplete\/keep-\w+\/ \(incomplete\); .*keep\/ still holds the previous run/);
  assert.equal(runJson("keep"), before, "the previous run is intact");
  const [partial] = readdirSync(staging);
  assert.match(readFileSync(path.join(staging, partial, "messages.ndjson"), "utf8"), /testCaseStarted/, "what ran so far is kept");
});

test("certify --out refuses a folder holding anything but a bundle, before running; never deletes it", async () => {
  const out = path.join(tmp, "mine");
  mkdirSync(out);
  writeFileSync(path.join(out, "precious.txt"), "keep me");
  const r = await cli(["certify", "--driver", "simulator", "--out", out, "--tags", "@req:JL-036"]);
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /^joinleaf: --out .*mine holds other things \(precious\.txt\)/);
  assert.doesNotMatch(r.stdout, /\d+ scenarios:/, "checked before the run");
  assert.equal(readFileSync(path.join(out, "precious.txt"), "utf8"), "keep me");
  const file = path.join(tmp, "a-file");
  writeFileSync(file, "x");
  assert.equal((await cli(["certify", "--driver", "simulator", "--out", file])).status, 2);
});

test("expectations --out never overwrites a file without --force; --driver never relabels a run", async () => {
  const out = path.join(tmp, "annotated.yaml");
  writeFileSync(out, "# my notes\n");
  const r = await cli(["expectations", "--from", path.join(reports, "keep"), "--implementation", "x", "--out", out]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /annotated\.yaml exists; give --force/);
  assert.equal(readFileSync(out, "utf8"), "# my notes\n");
  const relabel = await cli(["expectations", "--from", path.join(reports, "keep"), "--implementation", "x", "--driver", "wine"]);
  assert.equal(relabel.status, 2);
  assert.match(relabel.stderr, /is a run of driver "simulator"; --driver cannot make it "wine"/);
  const forced = await cli(["expectations", "--from", path.join(reports, "keep"), "--implementation", "x", "--out", out, "--force"]);
  assert.equal(forced.status, 0, forced.stderr);
  assert.match(readFileSync(out, "utf8"), /driver: simulator/);
});

test("filesystem and listen errors are one line and exit 2, not a stack trace", async () => {
  const r = await cli(["spec", "--out", "/proc/version/spec"]);
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  const server = require("node:net").createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const busy = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, "agent", "--listen", `127.0.0.1:${port}`], { cwd: tmp });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => resolve({ code, stderr }));
  });
  server.close();
  assert.equal(busy.code, 2, busy.stderr);
  assert.match(busy.stderr, /^joinleaf: listen EADDRINUSE[^\n]*\n$/);
});

test("a scenario with no steps is not PASS", () => {
  const { parseMessages, NO_STEPS } = require("../src/results") as typeof import("../src/results");
  const t = { seconds: 1, nanos: 0 };
  const stream = [
    { meta: { protocolVersion: "x", implementation: { name: "cucumber-js" }, runtime: { name: "node" }, os: { name: "linux" }, cpu: { name: "x64" } } },
    // As Cucumber writes it for a scenario with no steps: the document, then a pickle with no steps.
    {
      gherkinDocument: {
        uri: "features/x.feature",
        comments: [],
        feature: {
          location: { line: 1, column: 1 }, tags: [], language: "en", keyword: "Feature", name: "x", description: "",
          children: [{ scenario: { id: "a1", location: { line: 3, column: 3 }, tags: [], keyword: "Scenario", name: "Nothing at all", description: "", steps: [], examples: [] } }],
        },
      },
    },
    { pickle: { id: "p1", uri: "features/x.feature", name: "Nothing at all", language: "en", steps: [], tags: [], astNodeIds: ["a1"], location: { line: 3 } } },
    { testCase: { id: "c1", pickleId: "p1", testSteps: [{ id: "s1", hookId: "h1" }] } },
    { testCaseStarted: { id: "r1", testCaseId: "c1", attempt: 0, timestamp: t } },
    { testStepFinished: { testCaseStartedId: "r1", testStepId: "s1", testStepResult: { status: "PASSED", duration: t }, timestamp: t } },
    { testCaseFinished: { testCaseStartedId: "r1", timestamp: t, willBeRetried: false } },
    { testRunFinished: { success: true, timestamp: t } },
  ];
  const [r] = parseMessages(stream.map((e) => JSON.stringify(e)).join("\n"), { run: "x" }).scenarios;
  assert.equal(r.status, "FAIL");
  assert.equal(r.message, NO_STEPS);
});
