// The command line itself: help per command, --version, and parse errors as one line, exit 2.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { COMMANDS } from "../src/commands/index";
import { DRIVER_FLAG_OPTIONS } from "../src/conformance-options";
import { cliHere as cliHereIn } from "./cli-here";
import { PACKAGE_ROOT } from "../src/package-root";

const root = PACKAGE_ROOT;
const reports = mkdtempSync(path.join(os.tmpdir(), "joinleaf-cli-"));

function cli(args: string[]) {
  return spawnSync(process.execPath, [path.join(root, "bin", "joinleaf.js"), ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, JOINLEAF_REPORTS: reports },
  });
}

const cliHere = (args: string[]) => cliHereIn(args, reports);

test("joinleaf help and joinleaf --help list every command and exit 0; no command at all exits 2", () => {
  for (const args of [["help"], ["--help"]]) {
    const r = cli(args);
    assert.equal(r.status, 0, r.stderr);
    for (const name of Object.keys(COMMANDS)) assert.match(r.stdout, new RegExp(`^  ${name}\\b`, "m"), name);
    assert.match(r.stdout, /drivers:\n  simulator/);
  }
  const none = cli([]);
  assert.equal(none.status, 2);
  assert.match(none.stdout, /Commands:/);
});

test("every command has its own help (exit 0), also as joinleaf help <command>", async () => {
  for (const name of Object.keys(COMMANDS)) {
    for (const args of name === "conformance" ? [[name, "--help"], ["help", name]] : [[name, "--help"]]) {
      const r = name === "conformance" ? cli(args) : await cliHere(args);
      assert.equal(r.status, 0, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^Usage: joinleaf ${name}`), args.join(" "));
    }
  }
  // The driver flags come from the one table, on both commands that run the suite.
  for (const name of ["conformance", "certify"]) {
    const r = await cliHere([name, "--help"]);
    for (const f of DRIVER_FLAG_OPTIONS) assert.ok(r.stdout.includes(f.flags), `${name} --help shows ${f.flags}`);
  }
});

test("--version prints the package's version", () => {
  const r = cli(["--version"]);
  assert.equal(r.status, 0);
  assert.equal(r.stdout.trim(), JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).version);
});

test("parse errors and usage mistakes: one line on stderr, exit 2, nothing run", async () => {
  for (const [args, re] of [
    [["conformanc"], /^joinleaf: unknown command 'conformanc' \(Did you mean conformance\?\)/],
    [["conformance", "--frobnicate"], /^joinleaf: unknown option '--frobnicate' \(run "joinleaf conformance --help" for the options\)$/],
    [["conformance", "--driver"], /^joinleaf: option '--driver <name>' argument missing/],
    [["conformance", "--driver", "nope"], /^joinleaf: unknown driver "nope"/],
    [["conformance", "--agent", "x"], /^joinleaf: --agent is for --driver remote, not "simulator"$/],
    [["conformance", "--driver", "remote", "--call-timeout", "soon"], /^joinleaf: --call-timeout wants a whole number of milliseconds, not "soon"$/],
    [["conformance", "--provider", "x"], /^joinleaf: --provider is for the native, wine drivers, not "simulator"$/],
    [["conformance", "--edition", "future"], /^joinleaf: unknown edition "future"/],
    [["conformance", "extra"], /^joinleaf: too many arguments for 'conformance'/],
    [["verify"], /^joinleaf: verify needs exactly one bundle folder/],
    [["verify", "a", "b"], /^joinleaf: too many arguments for 'verify'/],
    [["expectations", "--fro", "x"], /^joinleaf: unknown option '--fro' \(Did you mean --from\?\)/],
  ] as Array<[string[], RegExp]>) {
    // The first case through the launcher, the rest in this process.
    const r = args[0] === "conformanc" ? cli(args) : await cliHere(args);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr.trimEnd(), re, args.join(" "));
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, `one line: ${r.stderr}`);
    assert.equal(r.stdout, "", `${args.join(" ")} printed nothing else`);
  }
});

test("the VS Code workspace points the Cucumber extension at the features and at steps/", () => {
  const settings = JSON.parse(readFileSync(path.join(root, ".vscode", "settings.json"), "utf8"));
  assert.deepEqual(settings["cucumber.features"], ["features/**/*.feature"]);
  assert.deepEqual(settings["cucumber.glue"], ["steps/**/*.ts"]);
  const steps = (require("node:fs").readdirSync(path.join(root, "steps")) as string[]).filter((f) => f.endsWith(".steps.ts"));
  assert.ok(steps.length > 0, "the glue finds step definitions");
});

test("a command run in process does not swallow the test runner's report of other tests", () => {
  const probe = path.join(root, "test", "fixtures", "cli-here-probe.js");
  // A runner of its own (NODE_TEST_CONTEXT would make it think it is this runner's child).
  const env: NodeJS.ProcessEnv = { ...process.env, CLI_HERE: path.join(__dirname, "cli-here") };
  delete env.NODE_TEST_CONTEXT;
  const loader = process.execArgv.filter((a) => !a.startsWith("--test")); // tsx, when this file runs from source
  const r = spawnSync(process.execPath, [...loader, "--test", "--test-reporter=tap", probe], { encoding: "utf8", env });
  assert.match(r.stdout, /^# pass 2$/m, r.stdout + r.stderr);
  assert.match(r.stdout, /^ok 1 - ends just before a command runs in process$/m);
});

test("a command run in process that does not end in time fails with its output so far, and its agents are stopped", async () => {
  // The agent never answers its hello: the run waits for it until cliHere gives up.
  const marker = `hung-probe-${process.pid}`; // an argument the agent ignores, to find its process by
  const mute = `MODE=mute "${process.execPath}" "${path.join(root, "test", "agents", "misbehaving-agent.js")}" ${marker}`;
  const args = ["conformance", "--quiet", "--driver", "remote", "--agent", mute, "--start-timeout", "3000", "--run", "hung"];
  const started = Date.now();
  await assert.rejects(cliHereIn(args, reports, 1_500), /^Error: joinleaf conformance --quiet --driver remote .* did not end within 1500 ms; its output so far:/);
  assert.ok(Date.now() - started < 2_900, "given up on before the agent's own start timeout");
  const alive = () => spawnSync("pgrep", ["-f", marker], { encoding: "utf8" }).stdout.trim();
  for (let i = 0; i < 50 && alive(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(alive(), "", "the agent was stopped");
});
