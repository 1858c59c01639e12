// The reference agent hosting the simulator, except that it exits (code 9) when the harness first
// lets time pass behind a joinLeaf (the harness is waiting for a blocking join): a crash in the
// middle of a blocking join, exactly once per run.
// CRASH_MARKER names a file that says "already crashed" to the agents started after it.
//
// The real `joinleaf agent` runs as a child, its answers going straight to the harness; this
// process passes the harness's requests on to it and reads them on the way, so it sees each one
// before the agent does, however the agent reads its stdin.
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const marker = process.env.CRASH_MARKER;
const agent = spawn(process.execPath, [require.resolve("../../bin/joinleaf.js"), "agent", "--edition", process.env.EDITION || "current"], {
  stdio: ["pipe", "inherit", "inherit"],
});
agent.on("exit", (code) => process.exit(code ?? 1));
let joining = false;
process.stdin.on("data", (chunk) => {
  const text = String(chunk);
  if (text.includes('"method":"joinLeaf"')) joining = true;
  if (text.includes('"method":"reset"')) joining = false;
  if (joining && text.includes('"method":"advance"') && !fs.existsSync(marker)) {
    fs.writeFileSync(marker, String(process.pid));
    agent.kill("SIGKILL");
    process.exit(9);
  }
  agent.stdin.write(chunk);
});
process.stdin.on("end", () => agent.stdin.end());
const starts = process.env.STARTS_FILE;
if (starts) fs.appendFileSync(starts, `${process.pid}\n`);
