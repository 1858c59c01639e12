// Every `joinleaf` command, one line each. A command module exports summary, usage and run.
export interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

export const COMMANDS: Record<string, () => Command> = {
  conformance: () => require("./conformance"),
  agent: () => require("./agent"),
  expectations: () => require("./expectations"),
  equivalence: () => require("./equivalence"),
  report: () => require("./report"),
  matrix: () => require("./matrix"),
  trace: () => require("./trace"),
  spec: () => require("./spec"),
  certify: () => require("./certify"),
  verify: () => require("./verify"),
  explore: () => require("./explore"),
};
