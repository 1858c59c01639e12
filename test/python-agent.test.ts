// The Python example agent (examples/python-agent/agent.py), written from docs/driver-protocol.md
// alone, runs a small slice of the suite through the real command line: the run completes, the
// scenarios it cannot support are UNSUPPORTED, the ones it runs fail honestly with the Winsock
// error it answers (WSAEOPNOTSUPP), and nothing ends as TIMEOUT or CRASH.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";

const ROOT = path.join(__dirname, "..");
const RUN = "python-null";
// A reports folder of the test's own: a user's reports/python-null is never touched.
const REPORTS = mkdtempSync(path.join(tmpdir(), "joinleaf-python-"));
const REPORT = path.join(REPORTS, RUN);
after(() => rmSync(REPORTS, { recursive: true, force: true }));
const STATUS_MEDIA_TYPE = "application/vnd.joinleaf.status+json";
// JL-052: one session scenario that runs (no capability needed) and two that need peers the
// agent does not offer; JL-108: two joins with a bad name pointer that run.
const TAGS = "@req:JL-052 or @req:JL-108";

const python = spawnSync("python3", ["--version"]).status === 0;

test(
  "the suite runs against the Python example agent: UNSUPPORTED or failed, never TIMEOUT or CRASH",
  { skip: python ? false : "python3 is not installed, so the Python example agent cannot run", timeout: 180_000 },
  async () => {
    const args = [
      path.join(ROOT, "bin", "joinleaf.js"), "conformance",
      "--driver", "remote",
      "--agent", "python3 examples/python-agent/agent.py",
      "--run", RUN, "--quiet", "--tags", TAGS,
      "--call-timeout", "20000",
    ];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, JOINLEAF_REPORTS: REPORTS } });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));

    const file = path.join(REPORT, "messages.ndjson");
    assert.ok(existsSync(file), `the run wrote ${path.relative(ROOT, file)}\n${output}`);
    const envelopes = readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);

    const notes = envelopes
      .filter((e) => e.attachment?.mediaType === STATUS_MEDIA_TYPE)
      .map((e) => JSON.parse(e.attachment.body as string) as { status: string; reason: string });
    const faults = notes.filter((n) => n.status === "TIMEOUT" || n.status === "CRASH");
    assert.deepEqual(faults, [], `no scenario ended as TIMEOUT or CRASH\n${output}`);
    assert.ok(notes.some((n) => n.status === "UNSUPPORTED"), `scenarios needing programmable peers are UNSUPPORTED\n${output}`);

    const started = envelopes.filter((e) => e.testCaseStarted).length;
    assert.ok(started >= 3, `the tag expression selected scenarios (${started})`);
    assert.ok(envelopes.some((e) => e.testRunFinished), "the run finished");
    const failures = envelopes
      .filter((e) => e.testStepFinished?.testStepResult?.status === "FAILED")
      .map((e) => String(e.testStepFinished.testStepResult.message ?? ""));
    for (const message of failures) {
      assert.match(message, /WSAEOPNOTSUPP \(10045\)/, "every failure is the Winsock error the agent answers, not a protocol breakdown");
    }

    // 1: scenarios ran and failed (the agent implements nothing). 0 is acceptable only when every
    // scenario was skipped as unsupported (or an expectations file lists the failures).
    assert.ok(code === 0 || code === 1, `exit code ${code}\n${output}`);
    if (code === 1) assert.ok(failures.length > 0, `exit code 1 comes with failed steps\n${output}`);
  },
);
