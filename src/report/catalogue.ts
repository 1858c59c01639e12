// The catalogue of normative statements (features/catalogue.yaml), read once and typed.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
// js-yaml: parses the catalogue in a third of the time the yaml package takes, and every run
// parses it once.
import YAML from "js-yaml";

export const CATALOGUE_PATH = path.join("features", "catalogue.yaml");

export interface CatalogueEntry {
  id: string;
  area: string;
  statement: string;
  editions: string[];
  strength: string;
  kind: string;
  source: Record<string, string>;
  testable: boolean;
  untestable_reason?: string;
  counterpart?: string;
  error?: string;
  /** Provider classes the entry applies to (names defined under the catalogue's `profiles:`). */
  profiles?: string[];
  /** Line of "- id:" in the catalogue file. */
  line: number;
}

export interface Catalogue {
  file: string;
  version: unknown;
  editions: Record<string, string>;
  /** Profile name → what it stands for (the catalogue's `profiles:`). */
  profiles: Record<string, string>;
  entries: CatalogueEntry[];
  byId: Map<string, CatalogueEntry>;
  sha256: string;
}

export class CatalogueError extends Error {
  /** `detail` says what is wrong without naming the file; `line` is where, when known. */
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
  ) {
    super(`${file}${line ? `:${line}` : ""}: ${detail}`);
  }
}

export function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The last parse of each file: a process that runs the suite many times (variants, equivalence) parses it once. */
const parsed = new Map<string, { text: string; catalogue: Catalogue }>();

export function loadCatalogue(file = CATALOGUE_PATH, o: { strict?: boolean } = {}): Catalogue {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new CatalogueError(file, `cannot read the catalogue: ${(err as Error).message}`);
  }
  const key = `${o.strict ?? true}\0${path.resolve(file)}`;
  const known = parsed.get(key);
  if (known?.text === text) return known.catalogue;
  const catalogue = parseCatalogue(text, file, o);
  parsed.set(key, { text, catalogue });
  return catalogue;
}

/** Parses the catalogue; `strict: false` (the lint) keeps entries without an id for the lint to name. */
export function parseCatalogue(text: string, file: string, o: { strict?: boolean } = {}): Catalogue {
  const strict = o.strict ?? true;
  let doc: { version?: unknown; editions?: Record<string, string>; profiles?: Record<string, string>; entries?: unknown };
  try {
    doc = (YAML.load(text) ?? {}) as typeof doc;
  } catch (err) {
    const mark = (err as { mark?: { line: number } }).mark;
    const line = mark ? mark.line + 1 : undefined;
    throw new CatalogueError(file, `the catalogue is not valid YAML: ${(err as Error).message.split("\n")[0]}`, line);
  }
  if (!doc || !Array.isArray(doc.entries)) throw new CatalogueError(file, `the catalogue has no "entries" list`);
  const entries = (doc.entries as unknown[]).map((e) => (e && typeof e === "object" ? e : {})) as CatalogueEntry[];
  const byId = new Map<string, CatalogueEntry>();
  // Where each "- id:" line is, found in one pass (a search per entry was a tenth of a run's start).
  const idLines = new Map<string, number>();
  text.split("\n").forEach((l, i) => {
    const m = /^\s*-\s*id:\s*["']?([^"'\s]*)["']?\s*$/.exec(l);
    if (m && !idLines.has(m[1])) idLines.set(m[1], i + 1);
  });
  const lineOf = (id: string) => idLines.get(id) ?? 1;
  entries.forEach((e, i) => {
    if (typeof e.id !== "string") {
      if (strict) throw new CatalogueError(file, `entry ${i + 1} has no id`);
      e.id = e.id === undefined || e.id === null ? "" : String(e.id);
    }
    e.editions = Array.isArray(e.editions) ? e.editions : [];
    e.statement = String(e.statement ?? "").trim();
    e.source = e.source ?? {};
    e.line = lineOf(e.id);
    if (!byId.has(e.id)) byId.set(e.id, e);
  });
  const profiles = doc.profiles && typeof doc.profiles === "object" && !Array.isArray(doc.profiles) ? doc.profiles : {};
  return { file, version: doc.version, editions: doc.editions ?? {}, profiles, entries, byId, sha256: sha256(text) };
}

/** Whether the entry is part of the given edition (an unknown edition takes every entry). */
export function appliesTo(entry: CatalogueEntry, edition: string | undefined): boolean {
  return !edition || entry.editions.includes(edition);
}
