// Starting a call thread or a child process in a TypeScript checkout: loading ts-node there costs
// seconds under Wine (it parses the whole TypeScript compiler), so the new thread or process gets
// the few modules it needs already transpiled, by the compiler this process has loaded. A compiled
// build (dist/, plain .js) needs none of this.
import path from "node:path";

/** Whether this code runs from TypeScript sources (through ts-node). */
export const FROM_SOURCES = __filename.endsWith(".ts");

const closures = new Map<string, Record<string, string>>();

/** Every TypeScript module `entries` import (relative imports, followed), transpiled to CommonJS; once per process. */
export function transpiledClosure(entries: string[]): Record<string, string> {
  const key = entries.join("\0");
  const known = closures.get(key);
  if (known) return known;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require("typescript") as typeof import("typescript");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readFileSync } = require("node:fs") as typeof import("node:fs");
  const { existsSync } = require("node:fs") as typeof import("node:fs");
  const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
  const out: Record<string, string> = {};
  const visit = (file: string) => {
    if (file in out) return;
    const source = readFileSync(file, "utf8");
    out[file] = ts.transpileModule(source, { compilerOptions, fileName: file }).outputText;
    // Relative imports and require() calls (type-only ones too: transpiled, never loaded).
    for (const { fileName: spec } of ts.preProcessFile(source, true, true).importedFiles) {
      if (!spec.startsWith(".")) continue;
      const base = path.resolve(path.dirname(file), spec);
      const found = [`${base}.ts`, path.join(base, "index.ts")].find((f) => existsSync(f));
      if (found) visit(found);
    }
  };
  for (const e of entries) visit(path.resolve(e));
  closures.set(key, out);
  return out;
}

/**
 * Code that makes `require` of a .ts file take its source from `sources` (an expression naming a
 * Record<file, js>), so the code after it can require the entry module as usual.
 */
export function tsLoaderPrelude(sources: string): string {
  return [
    `const transpiledSources = ${sources};`,
    `require.extensions[".ts"] = (m, file) => {`,
    `  const js = transpiledSources[file];`,
    `  if (js === undefined) throw new Error("no transpiled source for " + file);`,
    `  m._compile(js, file);`,
    `};`,
  ].join("\n");
}
