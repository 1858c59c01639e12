// Merges the message streams of one certification split over several machines (each ran a
// disjoint tag split of the same suite, same driver and edition) into one run folder:
//
//   node --import tsx src/merge-runs.ts OUT_DIR SHARD_DIR...
//
// The merged messages.ndjson reads as one Cucumber run: the documents and step definitions of
// every shard, each scenario's test case from the shard that ran it, one testRunStarted (the
// earliest) and one testRunFinished (the latest; success only if every shard succeeded). A
// scenario that ran in two shards, or in none, is an error: the halves must cover the suite.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Envelope } from "@cucumber/messages";
import { readRunJson } from "./results";

export class MergeError extends Error {}

type Stamp = { seconds: number; nanos: number };
const later = (a: Stamp, b: Stamp) => a.seconds > b.seconds || (a.seconds === b.seconds && a.nanos > b.nanos);

function readStream(dir: string): Envelope[] {
  const file = path.join(dir, "messages.ndjson");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new MergeError(`cannot read ${file}: ${(e as Error).message}`);
  }
  return text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Envelope);
}

/** Every Gherkin node with an id, by where it is in its file (ids differ from run to run, places do not). */
function nodePlaces(stream: Envelope[]): Map<string, string> {
  const places = new Map<string, string>();
  const walk = (node: unknown, uri: string, kind: string) => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, uri, kind));
    if (node === null || typeof node !== "object") return;
    const o = node as { id?: string; location?: { line: number; column?: number } };
    if (typeof o.id === "string" && o.location) places.set(o.id, `${uri}:${o.location.line}:${o.location.column ?? 0}:${kind}`);
    for (const [k, v] of Object.entries(node)) if (k !== "location") walk(v, uri, k);
  };
  for (const e of stream) if (e.gherkinDocument?.feature) walk(e.gherkinDocument.feature, e.gherkinDocument.uri ?? "", "feature");
  return places;
}

/** The merged stream of the shards' streams, in the order one run would write it. */
export function mergeStreams(input: Envelope[][], otherEdition?: string): Envelope[] {
  if (input.length === 0) throw new MergeError("nothing to merge");
  // Speak the first shard's Gherkin ids throughout: a later shard's pickles are moved onto them.
  const first = new Map([...nodePlaces(input[0])].map(([id, place]) => [place, id]));
  const shards = input.map((stream, i) => {
    if (i === 0) return stream;
    const places = nodePlaces(stream);
    const move = (id: string) => {
      const to = first.get(places.get(id) ?? "");
      if (!to) throw new MergeError(`shard ${i + 1} ran a different version of the suite than shard 1 (${places.get(id) ?? id})`);
      return to;
    };
    return stream.map((e) =>
      e.pickle
        ? ({
            pickle: {
              ...e.pickle,
              astNodeIds: e.pickle.astNodeIds.map(move),
              tags: e.pickle.tags.map((t) => ({ ...t, astNodeId: move(t.astNodeId) })),
              steps: e.pickle.steps.map((st) => ({ ...st, astNodeIds: st.astNodeIds.map(move) })),
            },
          } as Envelope)
        : e,
    );
  });
  const pickleKey = (p: NonNullable<Envelope["pickle"]>) => `${p.uri}#${p.astNodeIds.join(",")}`;
  const ran = new Map<string, { shard: number; pickle: NonNullable<Envelope["pickle"]> }>();
  const firstSeen = new Map<string, NonNullable<Envelope["pickle"]>>();
  shards.forEach((stream, shard) => {
    const pickles = new Map(stream.filter((e) => e.pickle).map((e) => [e.pickle!.id, e.pickle!]));
    for (const e of stream) {
      if (e.pickle && !firstSeen.has(pickleKey(e.pickle))) firstSeen.set(pickleKey(e.pickle), e.pickle);
      if (!e.testCase) continue;
      const p = pickles.get(e.testCase.pickleId);
      if (!p) throw new MergeError(`shard ${shard + 1}: a test case names a scenario its stream does not have`);
      const other = ran.get(pickleKey(p));
      if (other) throw new MergeError(`"${p.name}" (${p.uri}) ran in shard ${other.shard + 1} and shard ${shard + 1}: the shards must not overlap`);
      ran.set(pickleKey(p), { shard, pickle: p });
    }
  });
  if (otherEdition !== undefined) {
    const missed = [...firstSeen.values()].filter((p) => !ran.has(pickleKey(p)) && !p.tags.some((t) => t.name === `@edition:${otherEdition}`));
    if (missed.length) throw new MergeError(`${missed.length} scenario(s) ran in no shard, e.g. "${missed[0].name}" (${missed[0].uri}): the shards must cover the suite`);
  }

  const firstStart = shards.map((s) => s.find((e) => e.testRunStarted)?.testRunStarted).filter((x) => x !== undefined);
  const finishes = shards.map((s) => s.find((e) => e.testRunFinished)?.testRunFinished);
  if (firstStart.length !== shards.length || finishes.some((f) => f === undefined)) throw new MergeError("a shard's stream is incomplete (no testRunStarted or testRunFinished): did that run finish?");
  const start = firstStart.reduce((a, b) => (later(a.timestamp as Stamp, b.timestamp as Stamp) ? b : a));
  const finish = finishes.reduce((a, b) => (later(b!.timestamp as Stamp, a!.timestamp as Stamp) ? b : a))!;

  const out: Envelope[] = [];
  const seenDocs = new Set<string>();
  const keptPickles = new Set<string>();
  // Definitions first, as Cucumber writes them: meta, sources, documents, pickles, support code.
  out.push(shards[0].find((e) => e.meta)!);
  for (const stream of shards) {
    for (const e of stream) {
      if (e.source && !seenDocs.has(`s:${e.source.uri}`)) (seenDocs.add(`s:${e.source.uri}`), out.push(e));
      else if (e.gherkinDocument && !seenDocs.has(`g:${e.gherkinDocument.uri}`)) (seenDocs.add(`g:${e.gherkinDocument.uri}`), out.push(e));
      else if (e.pickle) {
        const key = pickleKey(e.pickle);
        // Keep the pickle of the shard that ran it (its test case points at that id), else the first.
        const wanted = ran.get(key)?.pickle ?? firstSeen.get(key);
        if (wanted === e.pickle && !keptPickles.has(key)) (keptPickles.add(key), out.push(e));
      } else if (e.stepDefinition || e.hook || e.parameterType || e.undefinedParameterType) out.push(e);
    }
  }
  out.push({ testRunStarted: start } as Envelope);
  const runId = (start as { id?: string }).id;
  for (const stream of shards) {
    for (const e of stream) {
      if (e.meta || e.source || e.gherkinDocument || e.pickle || e.stepDefinition || e.hook || e.parameterType || e.undefinedParameterType) continue;
      if (e.testRunStarted || e.testRunFinished) continue;
      if (e.testCase && runId) out.push({ testCase: { ...e.testCase, testRunStartedId: runId } } as Envelope);
      else out.push(e);
    }
  }
  const success = finishes.every((f) => f!.success);
  out.push({ testRunFinished: { ...finish, success, ...(runId ? { testRunStartedId: runId } : {}) } } as Envelope);
  return out;
}

/** Merges shard run folders into `outDir` (messages.ndjson and run.json). */
export function mergeRuns(outDir: string, shardDirs: string[]): { scenarios: number } {
  const infos = shardDirs.map((d) => readRunJson(d) ?? {});
  for (const key of ["driver", "edition"] as const) {
    const values = new Set(infos.map((i) => i[key]));
    if (values.size > 1) throw new MergeError(`the shards differ in ${key} (${[...values].join(", ")}): they are not one certification`);
  }
  const edition = infos[0].edition ?? "current";
  const merged = mergeStreams(shardDirs.map(readStream), edition === "legacy" ? "current" : "legacy");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, "messages.ndjson"), merged.map((e) => JSON.stringify(e)).join("\n") + "\n");
  const starts = infos.map((i) => i.startedAt).filter(Boolean).sort();
  const ends = infos.map((i) => i.finishedAt).filter(Boolean).sort();
  const info = {
    ...infos[0],
    run: path.basename(path.resolve(outDir)),
    tags: "",
    startedAt: starts[0],
    finishedAt: ends[ends.length - 1],
    success: infos.every((i) => i.success !== false),
    mergedFrom: shardDirs.map((d, i) => ({ run: infos[i].run ?? path.basename(d), tags: infos[i].tags ?? "" })),
  };
  writeFileSync(path.join(outDir, "run.json"), JSON.stringify(info, null, 2) + "\n");
  return { scenarios: merged.filter((e) => e.testCase).length };
}

if (require.main === module) {
  const [out, ...shards] = process.argv.slice(2);
  if (!out || shards.length < 2) {
    process.stderr.write("usage: merge-runs OUT_DIR SHARD_DIR SHARD_DIR...\n");
    process.exit(2);
  }
  try {
    const { scenarios } = mergeRuns(out, shards);
    process.stdout.write(`merged ${shards.length} shards (${scenarios} scenarios) into ${out}/\n`);
  } catch (e) {
    process.stderr.write(`merge-runs: ${(e as Error).message}\n`);
    process.exit(e instanceof MergeError ? 2 : 3);
  }
}
