// Every `joinleaf` command, one line each: its summary (for `joinleaf help`) and its module. A
// module exports define(cmd), which declares its options and arguments with commander, and run.
import type { Command, OptionValues } from "commander";

export interface CommandModule {
  /** Declares the command's options and arguments (its help comes from them). */
  define(cmd: Command): void;
  /** Runs it with the parsed options and the operands; returns the exit code. */
  run(options: OptionValues, args: string[]): Promise<number>;
}

export const COMMANDS: Record<string, { summary: string; load: () => CommandModule }> = {
  conformance: { summary: "run the feature suite against a driver and write reports/<run>/", load: () => require("./conformance") },
  agent: { summary: "host a local driver behind the driver protocol (stdio, or TCP with --listen)", load: () => require("./agent") },
  expectations: { summary: "write an expectations file from a run's failures (review it, then commit it)", load: () => require("./expectations") },
  equivalence: { summary: "check that the suite through an agent gives the in-process simulator's results", load: () => require("./equivalence") },
  report: { summary: "build matrix, traceability, readable spec and the Allure reports for all runs present", load: () => require("./report") },
  matrix: { summary: "build the conformance matrix (entries × runs) as matrix.html and matrix.md", load: () => require("./matrix") },
  trace: { summary: "build the traceability report (entry → rules → scenarios → results) as trace.html and trace.md", load: () => require("./trace") },
  spec: { summary: "render the readable specification (catalogue + scenarios) as spec.html and spec.md", load: () => require("./spec") },
  certify: { summary: "run the suite, print a verdict and write a certification bundle", load: () => require("./certify") },
  verify: { summary: "check a certification bundle: files, hashes against this suite, required entries, verdict and counts", load: () => require("./verify") },
  variants: { summary: "run the suite against the simulator's conformant and broken variants (the suite's self-test)", load: () => require("./variants") },
  explore: { summary: "run random call sequences against a driver and the model; print a divergence as a scenario", load: () => require("./explore") },
};
