// A stand-in agent that greets properly, then misbehaves on cue, for the harness's fault tests.
// MODE=hang: never answers "socket"; MODE=crash: exits on "socket"; MODE=garbage: answers "socket" with non-JSON;
// MODE=malformed: answers "socket" with JSON that is no response; MODE=mute: never answers anything, not even hello.
const fs = require("node:fs");
const mode = process.env.MODE || "hang";
let buf = "";
process.stdin.on("data", (chunk) => {
  buf += chunk;
  let nl;
  while ((nl = buf.indexOf("\n")) >= 0) {
    const msg = JSON.parse(buf.slice(0, nl));
    buf = buf.slice(nl + 1);
    const reply = (result) => fs.writeSync(1, JSON.stringify({ id: msg.id, result }) + "\n");
    if (mode === "mute") continue;
    if (msg.method === "hello") {
      reply({ protocol: "joinleaf-driver", version: 1, driver: `misbehaving-${mode}`, implementation: {}, capabilities: ["virtual-clock"], protocols: [] });
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
