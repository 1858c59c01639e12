// Cucumber Expressions learn where each argument of a step starts from regexp-match-indices. Its
// polyfill never picks the engine's own `d` flag (it looks for indices on a match made without
// the flag), so it rebuilds every step definition's regexp with regexp-tree and runs a second,
// measuring one for each step: about a tenth of a simulator run. Node has had the flag since 16;
// this module answers the same question with it. Loading it (first thing in src/cli.ts, before
// Cucumber) puts it in the package's place; where it cannot, Cucumber keeps its own.
const Module = require("node:module");
const path = require("node:path");

const flagged = new WeakMap();

/** exec() with match.indices, as regexp-match-indices gives it: lastIndex read and written as by exec. */
function execWithIndices(regexp, string) {
  let d = flagged.get(regexp);
  if (!d) flagged.set(regexp, (d = new RegExp(regexp, regexp.flags.includes("d") ? regexp.flags : `${regexp.flags}d`)));
  d.lastIndex = regexp.lastIndex;
  const match = d.exec(string);
  regexp.lastIndex = d.lastIndex;
  return match;
}

function install() {
  let id;
  try {
    const expressions = require.resolve("@cucumber/cucumber-expressions");
    id = require.resolve("regexp-match-indices", { paths: [path.dirname(expressions)] });
  } catch {
    return false;
  }
  if (require.cache[id]) return false; // already loaded by someone: too late to stand in
  const m = new Module(id);
  m.filename = id;
  m.loaded = true;
  m.exports = execWithIndices;
  require.cache[id] = m;
  return true;
}

install();
module.exports = { execWithIndices, install };
