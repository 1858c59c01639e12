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
  const capture = (which: "stdout" | "stderr") =>
    ((chunk: string | Uint8Array) => {
      out[which] += String(chunk);
      return true;
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
