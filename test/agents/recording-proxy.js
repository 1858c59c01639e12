// A pass-through agent for the harness's ordering tests: the real stdio agent runs behind it, its
// hello answer says inOrder or not as INORDER=yes|no says, and each request is written to LOG as
// one JSON line: its method and the methods still unanswered when it arrived. The answers to reset,
// closesocket and openSockets are held back HOLD_MS (25 unless set): a request the harness sends
// behind one of them without waiting then arrives while it is unanswered, even when the harness
// is preempted between the two writes; the other answers pass at once, to keep the run short.
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const log = fs.openSync(process.env.LOG, "a");
const agent = spawn(process.execPath, [path.join(__dirname, "..", "..", "bin", "joinleaf.js"), "agent", "--driver", "simulator"], { stdio: ["pipe", "pipe", "inherit"] });
const unanswered = new Map();
const holdMs = Number(process.env.HOLD_MS ?? 25);
const held = new Set(["reset", "closesocket", "openSockets"]);

function lines(stream, onLine) {
  let buf = "";
  stream.on("data", (chunk) => {
    buf += chunk;
    for (let nl; (nl = buf.indexOf("\n")) >= 0; buf = buf.slice(nl + 1)) onLine(buf.slice(0, nl));
  });
}

lines(process.stdin, (line) => {
  const request = JSON.parse(line);
  fs.writeSync(log, JSON.stringify({ method: request.method, behind: [...unanswered.values()] }) + "\n");
  unanswered.set(request.id, request.method);
  agent.stdin.write(line + "\n");
});
process.stdin.on("end", () => agent.stdin.end());

lines(agent.stdout, (line) => {
  const answer = JSON.parse(line);
  if (unanswered.get(answer.id) === "hello" && answer.result) {
    if (process.env.INORDER === "yes") answer.result.inOrder = true;
    else delete answer.result.inOrder;
  }
  const pass = () => {
    unanswered.delete(answer.id);
    process.stdout.write(JSON.stringify(answer) + "\n");
  };
  if (held.has(unanswered.get(answer.id))) setTimeout(pass, holdMs);
  else pass();
});
agent.on("exit", (code) => process.exit(code ?? 1));
