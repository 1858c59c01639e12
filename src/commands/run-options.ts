// The options of the commands that read saved runs (report, matrix, trace).
import type { Command } from "commander";
import { REPORTS_DIR } from "../report/runs";

export interface RunOptions {
  reports: string;
  out?: string;
  expectations: string[];
}

export function addRunOptions(cmd: Command): Command {
  return cmd
    .argument("[path...]", "runs to include: run folders, messages.ndjson files or bundles (default: every <reports>/*/messages.ndjson)")
    .option("--reports <dir>", "where to look for runs", REPORTS_DIR)
    .option("--out <dir>", "where to write (default: the reports folder)")
    .option(
      "--expectations <[run=]file>",
      'apply an expectations file to one run (or to all); file "none": no expectations (default: the run\'s certification bundle\'s, else expectations/<driver>.yaml as conformance uses it); repeatable',
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    );
}
