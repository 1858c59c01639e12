// The catalogue of normative statements (features/catalogue.yaml), read once and typed.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";

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
}

export interface Catalogue {
  file: string;
  version: unknown;
  editions: Record<string, string>;
  entries: CatalogueEntry[];
  byId: Map<string, CatalogueEntry>;
  sha256: string;
}

export class CatalogueError extends Error {}

export function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

export function loadCatalogue(file = CATALOGUE_PATH): Catalogue {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new CatalogueError(`cannot read the catalogue ${file}: ${(err as Error).message}`);
  }
  let doc: { version?: unknown; editions?: Record<string, string>; entries?: unknown };
  try {
    doc = YAML.parse(text) ?? {};
  } catch (err) {
    throw new CatalogueError(`${file} is not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  if (!Array.isArray(doc.entries)) throw new CatalogueError(`${file} has no "entries" list`);
  const entries = doc.entries as CatalogueEntry[];
  const byId = new Map<string, CatalogueEntry>();
  entries.forEach((e, i) => {
    if (!e || typeof e.id !== "string") throw new CatalogueError(`${file}: entry ${i + 1} has no id`);
    e.editions = Array.isArray(e.editions) ? e.editions : [];
    e.statement = String(e.statement ?? "").trim();
    e.source = e.source ?? {};
    byId.set(e.id, e);
  });
  return { file, version: doc.version, editions: doc.editions ?? {}, entries, byId, sha256: sha256(text) };
}

/** Whether the entry is part of the given edition (an unknown edition takes every entry). */
export function appliesTo(entry: CatalogueEntry, edition: string | undefined): boolean {
  return !edition || entry.editions.includes(edition);
}
