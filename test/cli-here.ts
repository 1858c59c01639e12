// The `joinleaf` command line run in the test's own process, its output captured: help, usage
// and setup mistakes, and whole runs (as `joinleaf equivalence` runs the suite twice in one
// process). A process per case cost a third of a second of CPU or more for loading alone; the
// tests that spawn bin/joinleaf.js keep the launcher itself covered.
import { closeAllConnections } from "../drivers/remote/remote-driver";
import { main } from "../src/cli";

/** As long as the spawned runs these calls replace were given before they were killed. */
const DEFAULT_TIMEOUT_MS = 300_000;

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `joinleaf ARGS` here with JOINLEAF_REPORTS set to `reports`; one call at a time. A command
 * still running after `timeoutMs` fails the test, and the agents it started are stopped.
 */
export async function cliHere(args: string[], reports: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<CliResult> {
  const out = { stdout: "", stderr: "" };
  const real = { stdout: process.stdout.write, stderr: process.stderr.write };
  // The test runner reports each result through this process's stdout too: as binary messages
  // when a `node --test` runner reads them (NODE_TEST_CONTEXT=child-v8), as text when the file
  // runs alone. Swallowing them lost the results of tests that ended while a command ran here.
  const underRunner = process.env.NODE_TEST_CONTEXT === "child-v8";
  const capture = (which: "stdout" | "stderr") =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const pass = () => (real[which] as (...a: unknown[]) => boolean).call(process[which], chunk, ...rest);
      if (underRunner && typeof chunk !== "string") return pass(); // the runner's own message
      out[which] += String(chunk);
      return underRunner ? true : pass(); // alone: shown as well as captured, so no report line is lost
    }) as typeof process.stdout.write;
  process.stdout.write = capture("stdout");
  process.stderr.write = capture("stderr");
  const saved = process.env.JOINLEAF_REPORTS;
  process.env.JOINLEAF_REPORTS = reports;
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      closeAllConnections();
      reject(new Error(`joinleaf ${args.join(" ")} did not end within ${timeoutMs} ms; its output so far:\n${out.stdout}${out.stderr}`));
    }, timeoutMs);
  });
  try {
    const status = await Promise.race([main(args), hung]);
    return { status, ...out };
  } finally {
    clearTimeout(timer);
    process.stdout.write = real.stdout;
    process.stderr.write = real.stderr;
    if (saved === undefined) delete process.env.JOINLEAF_REPORTS;
    else process.env.JOINLEAF_REPORTS = saved;
  }
}
