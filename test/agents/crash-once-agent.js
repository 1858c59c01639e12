// The reference agent hosting the simulator, except that it exits (code 9) when the harness first
// lets time pass behind a joinLeaf (the harness is waiting for a blocking join): a crash in the
// middle of a blocking join, exactly once per run.
// CRASH_MARKER names a file that says "already crashed" to the agents started after it.
const fs = require("node:fs");
const marker = process.env.CRASH_MARKER;
let joining = false;
process.stdin.on("data", (chunk) => {
  const text = String(chunk);
  if (text.includes('"method":"joinLeaf"')) joining = true;
  if (text.includes('"method":"reset"')) joining = false;
  if (!joining || !text.includes('"method":"advance"') || fs.existsSync(marker)) return;
  fs.writeFileSync(marker, String(process.pid));
  process.exit(9);
});
const starts = process.env.STARTS_FILE;
if (starts) fs.appendFileSync(starts, `${process.pid}\n`);
// The real `joinleaf agent` (compiled when the build is fresh), started in this process so that
// the listener above sees its requests first.
process.argv = [process.argv[0], require.resolve("../../bin/joinleaf.js"), "agent", "--edition", process.env.EDITION || "current"];
require("../../bin/joinleaf.js");
