// Runs the test files listed in one-process.json in this one process, one after the other.
// None of them runs the suite through Cucumber, changes the process (its cwd, environment, exit
// code, output) or leaves a connection open, so they need no process each; one each cost a
// Node start and a fresh load of the modules, about 0.35 s of CPU a file.
// npm test (scripts/test.js) runs this file in their place; each of them still runs alone too:
// node --test dist/test/clock.test.js
import { readFileSync } from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../src/package-root";

const files = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "test", "one-process.json"), "utf8")) as string[];
for (const file of files) require(path.join(__dirname, file.replace(/\.ts$/, ".js")));
