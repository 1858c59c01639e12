// The `joinleaf` command line run in the test's own process, its output captured. For cases
// that stop before a suite runs (help, usage and setup mistakes): a process per case cost a
// third of a second of CPU or more each. The tests that spawn bin/joinleaf.js keep the
// launcher itself covered.
import { main } from "../src/cli";

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `joinleaf ARGS` here with JOINLEAF_REPORTS set to `reports`; one call at a time. */
export async function cliHere(args: string[], reports: string): Promise<CliResult> {
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
  try {
    const status = await main(args);
    return { status, ...out };
  } finally {
    process.stdout.write = real.stdout;
    process.stderr.write = real.stderr;
    if (saved === undefined) delete process.env.JOINLEAF_REPORTS;
    else process.env.JOINLEAF_REPORTS = saved;
  }
}
