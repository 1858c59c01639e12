// Where the package is, whether it runs from source or from its compiled copy in dist/, and
// whether it runs compiled. Plain JavaScript: bin/joinleaf.js and cucumber.js load it without
// TypeScript.
const { existsSync } = require("node:fs");
const path = require("node:path");

/** The folder holding this package's package.json (src/.. or dist/src/../..). */
function findRoot(from) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, "package.json");
    if (existsSync(pkg) && require(pkg).name === "joinleaf-conformance") return dir;
    if (path.dirname(dir) === dir) throw new Error(`no joinleaf-conformance package.json above ${from}`);
  }
}

const PACKAGE_ROOT = findRoot(__dirname);

module.exports = {
  PACKAGE_ROOT,
  /** True when this is the compiled copy (dist/src/package-root.js). */
  COMPILED: path.relative(PACKAGE_ROOT, __dirname).split(path.sep)[0] === "dist",
  /** The command line's launcher: agents are started through it. */
  BIN: path.join(PACKAGE_ROOT, "bin", "joinleaf.js"),
  /**
   * A file the package ships (expectations/wine.yaml), as the user would type it: relative to
   * where they are when that is inside the package, absolute otherwise.
   */
  packageFile(...parts) {
    const abs = path.join(PACKAGE_ROOT, ...parts);
    const rel = path.relative(process.cwd(), abs);
    return rel.startsWith("..") || path.isAbsolute(rel) ? abs : rel;
  },
};
