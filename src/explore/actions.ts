// What `explore` strings together. An action is a Given or When step of the suite's own vocabulary,
// carried out by the suite's own step definition on a World, so a sequence that diverges prints as
// a scenario that runs as it ran. A probe is explore's own look at the World afterwards (the last
// call's result, the join's outcome, select, events, data, a peer's log), kept in a form two
// implementations can be compared by: sockets by the names the scenario gave them, bytes as hex,
// errors as names.
import type { ISupportCodeLibrary } from "@cucumber/cucumber/api";
// The API hands the library over opaque; its step definitions are what a step runner needs.
import type { SupportCodeLibrary } from "@cucumber/cucumber/lib/support_code_library_builder/types";
import type { JoinLeafOutcome, Result } from "../../drivers/driver";
import { errorName, FdEventName } from "../../drivers/winsock";
import { CALLEE_SEED, JoinLeafWorld, patternBytes } from "../../steps/world";

export type Observation = unknown;

export interface Step {
  keyword: "Given" | "When";
  text: string;
  /** A join table (`| key | value |` rows). */
  table?: Array<[string, string]>;
  /** The name the step's result gets: the new socket a join or accept returns. */
  names?: string;
}

export type Probe =
  | { probe: "select"; name: string }
  | { probe: "events"; name: string; event: FdEventName }
  | { probe: "recv"; name: string }
  | { probe: "callee" }
  | { probe: "peer"; peer: string };

export type Action = Step | Probe;

export const isProbe = (a: Action): a is Probe => "probe" in a;

const describe = (r: Result<unknown>) => (r.ok ? "ok" : errorName(r.error));

/** explore made a step the suite does not define (once): a bug of explore's, never an answer. */
export class UnknownStep extends Error {}

/** Runs step text through the step definition that matches it, as Cucumber would. */
export class StepRunner {
  constructor(private readonly library: ISupportCodeLibrary) {}

  async run(world: JoinLeafWorld, step: Step): Promise<"ok" | "skipped"> {
    const matches = (this.library as unknown as SupportCodeLibrary).stepDefinitions.filter((d) => d.matchesStepName(step.text));
    if (matches.length !== 1) throw new UnknownStep(`explore: ${matches.length} step definitions match "${step.text}"`);
    const argument = step.table ? { dataTable: { rows: step.table.map((cells) => ({ cells: cells.map((value) => ({ value })) })) } } : undefined;
    const { parameters } = await matches[0].getInvocationParameters({
      step: { id: "", text: step.text, type: undefined, astNodeIds: [], argument } as never,
      world,
      hookParameter: undefined as never,
    });
    const result = await matches[0].code.apply(world, parameters);
    return result === "skipped" ? "skipped" : "ok";
  }
}

/** Carries out one action and says what it showed. */
export async function perform(runner: StepRunner, w: JoinLeafWorld, a: Action): Promise<Observation> {
  if (isProbe(a)) return look(w, a);
  const lastBefore = w.last;
  const joinsBefore = w.joins.length;
  let status: string;
  try {
    status = await runner.run(w, a);
  } catch (err) {
    if (err instanceof UnknownStep) throw err;
    // A setup step whose call failed, or a call the World refused: the message names the error.
    return { refused: (err as Error).message.replace(/\s+/g, " ") };
  }
  const seen: Record<string, unknown> = { status };
  if (w.joins.length > joinsBefore) {
    const record = w.joins[w.joins.length - 1];
    const outcome = record.outcome ?? (await record.call);
    seen.join = joinShape(w, record.socket, outcome);
    if (a.names && outcome.result.ok && outcome.result.value !== w.socket(record.socket).sock) nameReturned(w, a.names, outcome.result.value, record.socket);
  } else if (w.last && w.last !== lastBefore) {
    seen.call = describe(w.last.result);
    if (a.names && w.last.result.ok && typeof w.last.result.value === "number") nameReturned(w, a.names, w.last.result.value, undefined);
  }
  return seen;
}

function joinShape(w: JoinLeafWorld, socket: string, o: JoinLeafOutcome): Observation {
  const result = !o.result.ok ? errorName(o.result.error) : o.result.value === w.socket(socket).sock ? "the same socket" : "a new socket";
  return { result, callee: o.callee ?? null };
}

/** Gives the descriptor a join or accept returned the scenario's name for it. */
function nameReturned(w: JoinLeafWorld, name: string, sock: number, from: string | undefined): void {
  const parent = from ? w.socket(from) : [...w.sockets.values()].find((s) => s.sock === sock);
  w.adopt(name, sock, parent?.host ?? "local", parent);
}

async function look(w: JoinLeafWorld, p: Probe): Promise<Observation> {
  try {
    switch (p.probe) {
      case "select":
        return await w.selectAbout(p.name);
      case "events":
        return (await w.eventsOf(p.name, p.event)).map((e) => errorName(e.error));
      case "recv": {
        const r = await w.driver.recv(w.socket(p.name).sock, 4096);
        return r.ok ? { bytes: r.value } : errorName(r.error);
      }
      case "callee":
        return await w.latestCallee();
      case "peer": {
        const log = await w.testbed.peerLog(p.peer);
        // How many requests went out is the provider's business (it may retransmit); that one did is not.
        return { member: log.member, asked: log.joinRequests > 0, callerData: log.lastCallerData, received: log.received, sawClose: log.sawClose };
      }
    }
  } catch (err) {
    return { refused: (err as Error).message.replace(/\s+/g, " ") };
  }
}

/** The bytes steps use, so the printed scenario's Then lines can name them. */
export const bytes = { app: (n: number) => patternBytes(n), peer: (n: number) => patternBytes(n, CALLEE_SEED) };
