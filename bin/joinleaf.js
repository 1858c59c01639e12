#!/usr/bin/env node
// Entry point: loads TypeScript in transpile-only mode and hands over to src/cli.ts.
require("ts-node").register({ transpileOnly: true, project: require("node:path").join(__dirname, "..", "tsconfig.json") });
require("../src/cli").main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`joinleaf: ${err && err.stack ? err.stack : err}\n`);
    process.exit(3);
  },
);
