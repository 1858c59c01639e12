// A stand-in agent that greets properly, then misbehaves on cue, for the harness's fault tests.
// MODE=hang: never answers "socket"; MODE=crash: exits on "socket"; MODE=garbage: answers "socket" with non-JSON;
// MODE=malformed: answers "socket" with JSON that is no response; MODE=mute: never answers anything, not even hello;
// MODE=second-reset-fails: says it keeps order (inOrder) and refuses its second reset.
const fs = require("node:fs");
const mode = process.env.MODE || "hang";
let buf = "";
let resets = 0;
process.stdin.on("data", (chunk) => {
  buf += chunk;
  let nl;
  while ((nl = buf.indexOf("\n")) >= 0) {
    const msg = JSON.parse(buf.slice(0, nl));
    buf = buf.slice(nl + 1);
    const reply = (result) => fs.writeSync(1, JSON.stringify({ id: msg.id, result }) + "\n");
    if (mode === "mute") continue;
    if (msg.method === "hello") {
      const inOrder = mode === "second-reset-fails" ? { inOrder: true } : {};
      reply({ protocol: "joinleaf-driver", version: 1, driver: `misbehaving-${mode}`, implementation: {}, capabilities: ["virtual-clock"], protocols: [], ...inOrder });
    } else if (mode === "second-reset-fails" && msg.method === "reset" && ++resets === 2) {
      fs.writeSync(1, JSON.stringify({ id: msg.id, error: { code: "driver-error", message: "the provider would not start again" } }) + "\n");
    } else if (mode === "second-reset-fails" && msg.method === "protocols") {
      reply([]);
    } else if (msg.method === "socket") {
      if (mode === "crash") process.exit(7);
      if (mode === "garbage") fs.writeSync(1, "this is not json\n");
      if (mode === "malformed") fs.writeSync(1, JSON.stringify({ id: msg.id, error: null }) + "\n");
      // hang: say nothing
    } else {
      reply(null);
    }
  }
});
