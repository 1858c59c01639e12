// `explore`: random sequences of the suite's own steps, run against the driver under test and
// against the reference model, compared action by action. The oracle is every conformant variant
// of the model at once: an answer is a divergence only when no variant still in the running gives
// it (a choice the texts leave open is not a failure). fast-check generates, replays and shrinks.
import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";
import type { ISupportCodeLibrary } from "@cucumber/cucumber/api";
import type { ProtocolInfo } from "../../drivers/driver";
import { protocolTraits, PROTOCOL_TRAITS, isMultipoint } from "../../drivers/capabilities";
import { createDriver } from "../../drivers/index";
import type { Edition } from "../../drivers/simulator/simulator";
import { JoinLeafWorld, RunParameters } from "../../steps/world";
import { Action, isProbe, Observation, perform, StepRunner } from "./actions";
import { actionArbitraries, Names, Planned, prelude } from "./generate";

export interface ExploreOptions {
  driver: string;
  edition: Edition;
  driverOptions?: Record<string, string>;
  runs: number;
  seed: number;
  /** Longest sequence. */
  length: number;
  /** fast-check's replay path of a failure (with the seed it came from). */
  path?: string;
  /** Conformant variants of the model that make up the oracle (ids; "" is the default model). */
  references: string[];
}

interface Reference {
  variant: string;
  world: JoinLeafWorld;
}

/**
 * The oracle: the conformant variants of the model that agree with every answer so far. Only the
 * first is run along; the others are brought in (replaying the trace) only when the ones running
 * disagree, so the common case costs one reference, not one per variant.
 */
class Oracle {
  private live: Reference[] = [];

  private constructor(
    private readonly waiting: string[],
    private readonly make: (variant: string) => Promise<Reference | null>,
    private readonly runner: StepRunner,
  ) {}

  static async open(variants: string[], make: (variant: string) => Promise<Reference | null>, runner: StepRunner): Promise<Oracle> {
    const oracle = new Oracle([...variants], make, runner);
    await oracle.bringIn([]);
    if (!oracle.live.length) throw new Error("explore: no reference variant offers a protocol entry like the one drawn");
    return oracle;
  }

  /** Whether some conformant variant answers `action` as the driver did; the answers it saw. */
  async agrees(action: Action, got: Observation, trace: Model["trace"]): Promise<{ agrees: boolean; answers: Array<{ variant: string; answer: Observation }> }> {
    const answers: Array<{ variant: string; answer: Observation }> = [];
    const still: Reference[] = [];
    for (const ref of this.live) {
      const answer = await perform(this.runner, ref.world, action);
      answers.push({ variant: ref.variant, answer });
      if (isDeepStrictEqual(answer, got)) still.push(ref);
      else await ref.world.closeAll().catch(() => undefined);
    }
    this.live = still;
    while (!this.live.length && this.waiting.length) {
      const ref = await this.bringIn(trace);
      if (!ref) continue;
      const answer = await perform(this.runner, ref.world, action);
      answers.push({ variant: ref.variant, answer });
      if (!isDeepStrictEqual(answer, got)) {
        this.live = [];
        await ref.world.closeAll().catch(() => undefined);
      }
    }
    return { agrees: this.live.length > 0, answers };
  }

  /** Starts the next waiting variant and replays the trace on it; keeps it when it agrees throughout. */
  private async bringIn(trace: Model["trace"]): Promise<Reference | null> {
    const variant = this.waiting.shift();
    if (variant === undefined) return null;
    const ref = await this.make(variant);
    if (!ref) return null;
    for (const step of trace) {
      if (!isDeepStrictEqual(await perform(this.runner, ref.world, step.action), step.answer)) {
        await ref.world.closeAll().catch(() => undefined);
        return null;
      }
    }
    this.live.push(ref);
    return ref;
  }

  async close(): Promise<void> {
    for (const r of this.live) await r.world.closeAll().catch(() => undefined);
    this.live = [];
  }
}

/** What the scenario has seen so far; fast-check's model. */
export interface Model {
  oracle: Oracle;
  names: Names;
  /** Each action carried out, with what the references still in the running answered. */
  trace: Array<{ action: Action; answer: Observation }>;
}

export class Divergence extends Error {
  constructor(
    readonly action: Action,
    readonly got: Observation,
    readonly expected: Array<{ variant: string; answer: Observation }>,
  ) {
    super(`diverged at ${describeAction(action)}: got ${JSON.stringify(got)}, the reference answered ${JSON.stringify(expected[0]?.answer)}`);
  }
}

export function describeAction(a: Action): string {
  if (isProbe(a)) return `probe ${a.probe}${"name" in a ? ` "${a.name}"` : ""}${"peer" in a ? ` "${a.peer}"` : ""}${"event" in a ? ` ${a.event}` : ""}`;
  return `${a.keyword} ${a.text}${a.table ? ` ${a.table.map((r) => `| ${r.join(" | ")} |`).join(" ")}` : ""}`;
}

/** The action being carried out, for the message when one never returns. */
let inFlight: Action | null = null;

/**
 * `work`, unless the event loop runs dry first: a step that waits for time nobody lets pass leaves
 * nothing scheduled, and Node would end the process mid-run with exit code 0, as if all was well.
 */
function unlessStalled<T>(work: Promise<T>): Promise<T> {
  let idle = (): void => undefined;
  const stalled = new Promise<never>((_, reject) => {
    idle = () => reject(new Error(`explore: ${inFlight ? describeAction(inFlight) : "a step"} never returned, and nothing was left to run`));
    process.once("beforeExit", idle);
  });
  return Promise.race([work, stalled]).finally(() => process.off("beforeExit", idle));
}

class ExploreCommand implements fc.AsyncCommand<Model, JoinLeafWorld> {
  /** The action as it was last made: the names it acts on depend on the scenario so far. */
  private made: Action | null = null;

  constructor(
    readonly planned: Planned,
    private readonly runner: StepRunner,
  ) {}

  check(m: Readonly<Model>): boolean {
    return this.planned(m.names) !== null;
  }

  async run(m: Model, dut: JoinLeafWorld): Promise<void> {
    const action = (this.made = this.planned(m.names)!);
    inFlight = action;
    const got = await perform(this.runner, dut, action);
    const { agrees, answers } = await m.oracle.agrees(action, got, m.trace);
    if (!agrees) throw new Divergence(action, got, answers);
    m.trace.push({ action, answer: got });
    m.names = { sockets: [...dut.sockets.keys()].filter((k) => !k.includes("#")), peers: [...dut.peers.keys()], joined: dut.joins.length > 0 };
  }

  toString(): string {
    return this.made ? describeAction(this.made) : "(not run)";
  }
}

/** The @needs words that make the World pick exactly this protocol entry (its planes, and what it has and lacks). */
export function needsFor(p: ProtocolInfo): string[] {
  const traits = protocolTraits(p) as Set<string>;
  const planes = (t: string) => /^(non)?rooted-/.test(t);
  return PROTOCOL_TRAITS.filter((t) => traits.has(t) || !planes(t)).map((t) => (traits.has(t) ? t : `no-${t}`));
}

function world(parameters: RunParameters): JoinLeafWorld {
  const noop = () => undefined;
  return new JoinLeafWorld({ parameters, attach: noop as never, log: noop, link: noop });
}

export interface ExploreResult {
  sequences: number;
  failure?: {
    seed: number;
    path: string;
    protocol: ProtocolInfo;
    trace: Model["trace"];
    divergence: Divergence;
  };
}

/** Runs the exploration; a failure comes back shrunk, with the trace of its last replay. */
export async function explore(o: ExploreOptions, library: ISupportCodeLibrary): Promise<ExploreResult> {
  const runner = new StepRunner(library);
  const probe = await createDriver(o.driver, { edition: o.edition, options: o.driverOptions });
  const protocols = (await probe.protocols()).filter(isMultipoint);
  const capabilities = new Set<string>(probe.capabilities);
  await probe.dispose();
  if (!protocols.length) throw new Error(`driver "${o.driver}" offers no multipoint protocol entry to explore`);

  const needsOf = (p: ProtocolInfo) => ({ capabilities, traits: protocolTraits(p) as Set<string> });
  const arbsByProtocol = new Map(protocols.map((p) => [p.id, actionArbitraries(needsOf(p)).flatMap(({ weight, arbitrary }) => Array<fc.Arbitrary<ExploreCommand>>(weight).fill(arbitrary.map((planned) => new ExploreCommand(planned, runner))))]));
  let sequences = 0;
  // A failure's path is fast-check's run path, then "@" and the commands' own replay path: the
  // commands shrink by what ran, and replaying the run path alone walks a different tree.
  const [checkPath, commandsPath] = o.path ? o.path.split("@") : [undefined, undefined];

  const sequence = fc.constantFrom(...protocols).chain((p) =>
    fc.tuple(
      fc.constant(p),
      prelude(needsOf(p)).map((planned) => planned.map((x) => new ExploreCommand(x, runner))),
      fc.commands(arbsByProtocol.get(p.id)!, { maxCommands: o.length, size: "max", replayPath: commandsPath }),
    ),
  );
  const property = fc.asyncProperty(sequence, async ([protocol, start, rest]) => {
    sequences++;
    const { model, dut } = await setUp(o, protocol, runner);
    try {
      await fc.asyncModelRun(() => ({ model, real: dut }), [...start, ...rest]);
    } finally {
      await dut.closeAll().catch(() => undefined);
      await model.oracle.close();
    }
  });
  const details = await unlessStalled(fc.check(property, { numRuns: o.runs, seed: o.seed, path: checkPath, endOnFailure: false }));
  if (!details.failed) return { sequences };
  const error = details.errorInstance;
  if (!(error instanceof Divergence)) throw error instanceof Error ? error : new Error(String(error));
  // Replay the shrunk counterexample once more, so the trace is the one of the sequence printed.
  const [protocol, start, rest] = details.counterexample![0];
  const commands = [...start, ...rest];
  const replay = await replayTrace(o, protocol, commands as Iterable<fc.AsyncCommand<Model, JoinLeafWorld>>, runner);
  const divergence = replay.divergence ?? error;
  const replayPath = /replayPath="([^"]*)"/.exec(String(rest))?.[1];
  const path = `${details.counterexamplePath ?? ""}${replayPath ? `@${replayPath}` : ""}`;
  return { sequences, failure: { seed: details.seed, path, protocol, trace: replay.trace, divergence } };
}

/** A fresh World for the driver under test and an oracle for the protocol entry drawn. */
async function setUp(o: ExploreOptions, protocol: ProtocolInfo, runner: StepRunner): Promise<{ model: Model; dut: JoinLeafWorld }> {
  const needs = needsFor(protocol);
  const dut = world({ driver: o.driver, edition: o.edition, run: "explore", driverOptions: o.driverOptions });
  const missing = await dut.start(needs);
  if (missing) throw new Error(`explore: the driver under test cannot run its own protocol entry ${protocol.id}: ${missing}`);
  const make = async (variant: string): Promise<Reference | null> => {
    const ref = world({ driver: "simulator", edition: o.edition, run: "explore", driverOptions: variant ? { variant } : {} });
    // A variant without a protocol entry of these traits is no witness for this sequence.
    if ((await ref.start(needs)) === null) return { variant: variant || "default", world: ref };
    await ref.closeAll();
    return null;
  };
  const oracle = await Oracle.open(o.references, make, runner);
  return { model: { oracle, names: { sockets: [], peers: [], joined: false }, trace: [] }, dut };
}

/** Runs the shrunk sequence once more on fresh Worlds and keeps its trace. */
async function replayTrace(
  o: ExploreOptions,
  protocol: ProtocolInfo,
  commands: Iterable<fc.AsyncCommand<Model, JoinLeafWorld>>,
  runner: StepRunner,
): Promise<{ trace: Model["trace"]; divergence?: Divergence }> {
  const { model, dut } = await setUp(o, protocol, runner);
  let divergence: Divergence | undefined;
  try {
    for (const c of commands) {
      if (!c.check(model)) continue;
      await c.run(model, dut);
    }
  } catch (e) {
    if (e instanceof Divergence) divergence = e;
    else throw e;
  } finally {
    await dut.closeAll().catch(() => undefined);
    await model.oracle.close();
  }
  return { trace: model.trace, divergence };
}
