// Checks requests against the schema the protocol page publishes (docs/driver-protocol.schema.json),
// one compiled validator per method, so the agent and the schema can never disagree. The build
// writes the validators out as code (ajv's standalone mode), stamped with the schema's sha256: an
// agent starting from dist/ loads them instead of compiling them, which took 0.4 s at every start.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
// Types only: ajv itself is loaded when the validators must be compiled, not by an agent that has
// the build's (loading it cost each agent start some 90 ms of CPU).
import type Ajv2020 from "ajv/dist/2020";
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { PACKAGE_ROOT } = require("../../src/package-root") as typeof import("../../src/package-root");
// From the package root: the compiled copy in dist/ reads the same published file.
const SCHEMA_FILE = path.join(PACKAGE_ROOT, "docs", "driver-protocol.schema.json");
const SCHEMA_ID = "joinleaf-driver-protocol";
/** Beside the compiled module: the validators as code, written by the build (scripts/build.js). */
const PREBUILT_FILE = path.join(__dirname, "request-validators.js");

let validators: Map<string, ValidateFunction> | null = null;

/** The schema's definition name for a method's request: joinLeaf -> JoinLeafRequest. */
export function requestDefinition(method: string): string {
  return `${method.charAt(0).toUpperCase()}${method.slice(1)}Request`;
}

/** Each method with a request definition, and that definition's reference. */
function requestRefs(schema: { $defs: Record<string, unknown> }): Record<string, string> {
  const refs: Record<string, string> = {};
  for (const name of Object.keys(schema.$defs)) {
    if (!name.endsWith("Request") || name === "Request") continue;
    refs[name.charAt(0).toLowerCase() + name.slice(1, -"Request".length)] = `${SCHEMA_ID}#/$defs/${name}`;
  }
  return refs;
}

function compiler(schemaText: string, source: boolean): { ajv: Ajv2020; refs: Record<string, string> } {
  const schema = JSON.parse(schemaText) as { $defs: Record<string, unknown> };
  // strict: an unknown keyword in the schema is an error here, not silently ignored.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const Ajv = (require("ajv/dist/2020") as typeof import("ajv/dist/2020")).default;
  const ajv: Ajv2020 = new Ajv({ strict: true, allErrors: false, code: { source } });
  ajv.addSchema({ ...schema, $id: SCHEMA_ID });
  return { ajv, refs: requestRefs(schema) };
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The validators: the build's, when they were written from this very schema; else compiled now. */
export function loadValidators(prebuiltFile = PREBUILT_FILE): { from: "prebuilt" | "compiled"; validators: Map<string, ValidateFunction> } {
  const text = readFileSync(SCHEMA_FILE, "utf8");
  if (existsSync(prebuiltFile)) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const prebuilt = require(prebuiltFile) as { schemaSha256: string; validators: Record<string, ValidateFunction> };
    // Written from another schema than the one beside it (edited since the build): not used.
    if (prebuilt.schemaSha256 === sha256(text)) return { from: "prebuilt", validators: new Map(Object.entries(prebuilt.validators)) };
  }
  const { ajv, refs } = compiler(text, false);
  return { from: "compiled", validators: new Map(Object.entries(refs).map(([method, ref]) => [method, ajv.getSchema(ref) as ValidateFunction])) };
}

const load = () => loadValidators().validators;

/** Writes the validators as code beside the compiled module (the build calls it). */
export function writePrebuiltValidators(file = PREBUILT_FILE): void {
  const text = readFileSync(SCHEMA_FILE, "utf8");
  const { ajv, refs } = compiler(text, true);
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const standaloneCode = (require("ajv/dist/standalone") as typeof import("ajv/dist/standalone")).default;
  const code = standaloneCode(ajv, refs);
  writeFileSync(file, `// Written by scripts/build.js from docs/driver-protocol.schema.json; do not edit.\n${code}\nmodule.exports = { schemaSha256: ${JSON.stringify(sha256(text))}, validators: exports };\n`);
}

/** Methods the schema has a request for (every contract method plus hello and reset). */
export function schemaMethods(): string[] {
  validators ??= load();
  return [...validators.keys()];
}

export type RequestProblem = { code: "unknown-method" | "invalid-request" | "invalid-params"; message: string };

/** What is wrong with a request by the schema, or null when it is valid. `params` left out counts as {}. */
export function requestProblem(msg: { id?: unknown; method: string; params?: unknown }): RequestProblem | null {
  validators ??= load();
  if (!validators.has(msg.method)) {
    return { code: "unknown-method", message: `no method "${msg.method.slice(0, 100)}"` };
  }
  const validate = validators.get(msg.method)!;
  const request = "params" in msg ? msg : { ...msg, params: {} };
  if (validate(request)) return null;
  const e = (validate.errors ?? [])[0];
  const inParams = e !== undefined && (e.instancePath === "/params" || e.instancePath.startsWith("/params/"));
  return { code: inParams ? "invalid-params" : "invalid-request", message: `"${msg.method}": ${describe(e)}` };
}

function describe(e: ErrorObject | undefined): string {
  if (!e) return "does not fit the schema";
  const where = e.instancePath === "" ? "the request" : e.instancePath === "/params" ? "params" : `params${e.instancePath.slice("/params".length)}`;
  const detail =
    e.keyword === "additionalProperties"
      ? `takes no "${(e.params as { additionalProperty: string }).additionalProperty}"`
      : e.keyword === "required"
        ? `needs "${(e.params as { missingProperty: string }).missingProperty}"`
        : e.keyword === "const"
          ? `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`
          : (e.message ?? e.keyword);
  return `${where} ${detail}`.slice(0, 300);
}
