// The oracle's members: the default model and every conformant variant of it.
import { existsSync } from "node:fs";
import path from "node:path";

interface VariantLike {
  id: string;
  kind: string;
}

/** The ids of the simulator's conformant variants (the default model first); [""] (the default model) without them. */
export function conformantVariantIds(): string[] {
  const file = path.join(__dirname, "..", "..", "drivers", "simulator", "variants");
  if (!existsSync(`${file}.ts`) && !existsSync(`${file}.js`)) return [""];
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { VARIANTS } = require(file) as { VARIANTS: VariantLike[] };
  const ids = VARIANTS.filter((v) => v.kind === "conformant").map((v) => v.id);
  return ids.length ? ids : [""];
}
