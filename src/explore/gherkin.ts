// A diverging sequence, printed as a scenario in the suite's own step vocabulary: the actions as
// they ran, each probe as the Then lines of what the reference answered, and at the point of
// divergence the reference's answer (which the implementation under test did not give).
import type { CalleeBuffer } from "../../drivers/driver";
import type { Catalogue, CatalogueEntry } from "../report/catalogue";
import { Action, bytes, isProbe, Observation } from "./actions";
import { describeAction, Divergence, needsFor } from "./explore";
import type { ExploreResult } from "./explore";

type Failure = NonNullable<ExploreResult["failure"]>;

/** Then lines that hold exactly when an implementation answers `answer` to `action`. */
export function thenLines(action: Action, answer: Observation): string[] {
  const a = answer as Record<string, unknown> | string | unknown[];
  if (typeof a === "object" && a !== null && !Array.isArray(a) && "refused" in a) return [`# (refused: ${String(a.refused)})`];
  if (isProbe(action)) {
    switch (action.probe) {
      case "select": {
        const s = a as { readable: boolean; writable: boolean; inError: boolean };
        return [
          `select ${s.readable ? "reports" : "does not report"} "${action.name}" as readable`,
          `select ${s.writable ? "reports" : "does not report"} "${action.name}" as writable`,
          `select ${s.inError ? "reports" : "does not report"} "${action.name}" as in error`,
        ];
      }
      case "events": {
        const errors = a as string[];
        if (!errors.length) return [`"${action.name}" is not notified of ${action.event}`];
        const lastError = errors[errors.length - 1];
        return [`"${action.name}" is notified of ${action.event} ${lastError === "NO_ERROR" ? "with no error" : `with error ${lastError}`}`];
      }
      case "recv": {
        if (typeof a === "string") return [`"${action.name}" has nothing to receive`];
        const got = (a as { bytes: string }).bytes;
        const n = got.length / 2;
        return got === bytes.peer(n) ? [`"${action.name}" receives the peer's ${n} bytes`] : [`# "${action.name}" received ${got}`];
      }
      case "callee":
        return calleeLines(a as unknown as CalleeBuffer);
      case "peer": {
        const log = a as { member: boolean; asked: boolean; callerData: string | null; received: string[]; sawClose: boolean };
        const lines = [`peer "${action.peer}" ${log.member ? "is" : "is not"} a member`];
        if (!log.received.length) lines.push(`peer "${action.peer}" received nothing`);
        for (const r of log.received) lines.push(r === bytes.app(r.length / 2) ? `peer "${action.peer}" received ${r.length / 2} bytes` : `# peer "${action.peer}" received ${r}`);
        if (log.asked) lines.push(log.callerData === null ? `peer "${action.peer}" received no caller data` : `peer "${action.peer}" received ${log.callerData.length / 2} bytes of caller data`);
        if (log.sawClose) lines.push(`peer "${action.peer}" saw the connection close`);
        return lines;
      }
    }
  }
  const seen = a as { status: string; join?: { result: string; callee?: CalleeBuffer | null }; call?: string };
  if (seen.join) {
    const r = seen.join.result;
    const result = r === "a new socket" ? `the join returns a new c_leaf socket "${action.names}"` : r === "the same socket" ? "the join returns the same socket" : `the join fails with ${r}`;
    // The buffer as the call left it is part of the answer: a scenario that stated only the
    // result would pass a provider that diverged in the buffer alone.
    return [result, ...(seen.join.callee ? calleeLines(seen.join.callee) : [])];
  }
  if (seen.call) return [seen.call === "ok" ? "the call succeeds" : `the call fails with ${seen.call}`];
  return [];
}

/** Then lines that hold exactly for this state of the callee buffer. */
function calleeLines(c: CalleeBuffer): string[] {
  const lines = [`the callee buffer length reads ${c.len}`];
  if (c.len > 0 && c.bytes === bytes.peer(c.len)) lines.push(`the callee buffer holds the peer's ${c.len} bytes`);
  if (c.guardIntact) lines.push("nothing was written past the callee buffer");
  return lines;
}

function stepLines(action: Action): string[] {
  if (isProbe(action)) return [];
  const lines = [`${action.keyword} ${action.text}`];
  for (const [k, v] of action.table ?? []) lines.push(`  | ${k} | ${v} |`);
  return lines;
}

/** Words of an action that point at the parameter a catalogue statement is about. */
const TOPICS: Array<[RegExp, RegExp]> = [
  [/callee/, /lpCalleeData|callee/i],
  [/caller data/, /lpCallerData|caller/i],
  [/group (sending|receiving) token rate|group provider/, /lpGQOS|group QOS/i],
  [/token rate|provider-specific QOS/, /lpSQOS|QOS/],
  [/\| namelen /, /namelen/],
  [/\| name /, /\bname\b/],
  [/dwFlags/, /dwFlags|JL_/],
  [/accepts|rejects|asks to join/, /WSAAccept|FD_ACCEPT|leaf-initiated|admit/i],
  [/closes/, /closesocket/],
  [/events|notified/, /FD_CONNECT|FD_CLOSE|FD_ACCEPT/],
  [/select/, /\bselect\b/],
];

/**
 * Catalogue entries the diverging action concerns: those naming an error either side gave, ranked
 * by how many of the action's parameters they speak of; the best-ranked ones.
 */
export function concerns(d: Divergence, catalogue: Catalogue): CatalogueEntry[] {
  const answers = JSON.stringify([d.got, d.expected[0]?.answer]);
  const errors = [...new Set(answers.match(/WSA[A-Z_]+/g) ?? [])];
  const said = describeAction(d.action);
  const topics = TOPICS.filter(([inAction]) => inAction.test(said)).map(([, inStatement]) => inStatement);
  const scored = catalogue.entries.map((e) => ({
    e,
    score: 10 * errors.filter((x) => new RegExp(`\\b${x}\\b`).test(e.statement)).length + topics.filter((t) => t.test(e.statement)).length,
  }));
  const best = Math.max(...scored.map((x) => x.score));
  return best > 0 ? scored.filter((x) => x.score === best).map((x) => x.e).slice(0, 4) : [];
}

/** The ready-to-paste scenario with its header: how to replay it and what each side answered. */
export function renderFailure(f: Failure, o: { driver: string; edition: string; extra: string }, catalogue: Catalogue): string {
  const d = f.divergence;
  const out: string[] = [];
  out.push(`# explore: the driver "${o.driver}" diverged from every conformant variant of the model (edition ${o.edition})`);
  out.push(`# replay:  npx joinleaf explore --driver ${o.driver}${o.extra} --edition ${o.edition} --seed ${f.seed} --path "${f.path}"`);
  out.push(`# at:      ${describeAction(d.action)}`);
  out.push(`# ${o.driver} answered: ${JSON.stringify(d.got)}`);
  const byAnswer = new Map<string, string[]>();
  for (const e of d.expected) byAnswer.set(JSON.stringify(e.answer), [...(byAnswer.get(JSON.stringify(e.answer)) ?? []), e.variant]);
  for (const [answer, variants] of byAnswer) {
    const who = variants.length > 3 ? `${variants.slice(0, 2).join(", ")} and ${variants.length - 2} other variants` : variants.join(", ");
    out.push(`# the model (${who}) answered: ${answer}`);
  }
  const entries = concerns(d, catalogue);
  if (entries.length) out.push(`# concerns: ${entries.map((e) => e.id).join(", ")}`);
  for (const e of entries) out.push(`#   ${e.id}: ${e.statement.replace(/\s+/g, " ").slice(0, 110)}`);
  out.push("");
  out.push(`${entries.map((e) => `@req:${e.id}`).join(" ")} ${needsFor(f.protocol).map((n) => `@needs:${n}`).join(" ")}`.trim());
  out.push(`Scenario: explore found: ${describeAction(d.action).slice(0, 80)}`);
  let thenOpen = false;
  const push = (line: string, then: boolean) => {
    const keyword = line.startsWith("#") || line.startsWith("|") ? "" : then ? (thenOpen ? "And " : "Then ") : "";
    out.push(`  ${keyword}${line}`);
    if (then && !line.startsWith("#")) thenOpen = true;
  };
  const steps = [...f.trace, { action: d.action, answer: d.expected[0]?.answer }];
  for (const { action, answer } of steps) {
    for (const line of stepLines(action)) {
      const isKeyword = /^(Given|When) /.test(line);
      if (isKeyword) thenOpen = false;
      out.push(`  ${line}`);
    }
    for (const line of thenLines(action, answer)) push(line, true);
  }
  return `${fixKeywords(out).join("\n")}\n`;
}

/** "Given" after a When or Then reads "And"/"When" in Gherkin terms; keep the first of a run only. */
function fixKeywords(lines: string[]): string[] {
  let previous = "";
  return lines.map((line) => {
    const m = /^ {2}(Given|When|Then|And) (.*)$/.exec(line);
    if (!m) return line;
    const keyword = m[1] === "And" ? previous : m[1];
    const shown = keyword === previous ? "And" : keyword;
    previous = keyword;
    return `  ${shown} ${m[2]}`;
  });
}
