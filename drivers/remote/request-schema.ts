// Checks requests against the schema the protocol page publishes (docs/driver-protocol.schema.json),
// one compiled validator per method, so the agent and the schema can never disagree.
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020, { ErrorObject, ValidateFunction } from "ajv/dist/2020";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { PACKAGE_ROOT } = require("../../src/package-root") as typeof import("../../src/package-root");
// From the package root: the compiled copy in dist/ reads the same published file.
const SCHEMA_FILE = path.join(PACKAGE_ROOT, "docs", "driver-protocol.schema.json");
const SCHEMA_ID = "joinleaf-driver-protocol";

let validators: Map<string, ValidateFunction> | null = null;

/** The schema's definition name for a method's request: joinLeaf -> JoinLeafRequest. */
export function requestDefinition(method: string): string {
  return `${method.charAt(0).toUpperCase()}${method.slice(1)}Request`;
}

function load(): Map<string, ValidateFunction> {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as { $defs: Record<string, unknown> };
  // strict: an unknown keyword in the schema is an error here, not silently ignored.
  const ajv = new Ajv2020({ strict: true, allErrors: false });
  ajv.addSchema({ ...schema, $id: SCHEMA_ID });
  const out = new Map<string, ValidateFunction>();
  for (const name of Object.keys(schema.$defs)) {
    if (!name.endsWith("Request") || name === "Request") continue;
    const method = name.charAt(0).toLowerCase() + name.slice(1, -"Request".length);
    out.set(method, ajv.getSchema(`${SCHEMA_ID}#/$defs/${name}`) as ValidateFunction);
  }
  return out;
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
