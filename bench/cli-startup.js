// Start-up cost of the command line: `joinleaf help` and a simulator run, from the compiled
// build (dist/) and from the TypeScript sources through ts-node (JOINLEAF_FROM_SOURCE=1, what
// every command cost before the build), side by side. Prints wall and CPU (user + system) time,
// the median of N tries. Needs a build (npm run build) and /usr/bin/time for the CPU figures.
//   node bench/cli-startup.js [N]     (default 5; the simulator run is tried ceil(N/2) times)
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.join(__dirname, "..");
const bin = path.join(root, "bin", "joinleaf.js");
const n = Number(process.argv[2] || 5);
const haveTime = fs.existsSync("/usr/bin/time");
const reports = fs.mkdtempSync(path.join(os.tmpdir(), "joinleaf-bench-startup-"));

function once(args, env) {
  const t0 = process.hrtime.bigint();
  const cmd = haveTime ? "/usr/bin/time" : process.execPath;
  const argv = haveTime ? ["-f", "CPU %U %S", process.execPath, bin, ...args] : [bin, ...args];
  const r = spawnSync(cmd, argv, { cwd: root, encoding: "utf8", env: { ...process.env, JOINLEAF_REPORTS: reports, ...env } });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`joinleaf ${args.join(" ")} exited ${r.status}: ${r.stderr.slice(-500)}`);
  const m = /CPU ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  return { wall, cpu: m ? Number(m[1]) + Number(m[2]) : NaN };
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function measure(label, args, env, tries) {
  const rs = Array.from({ length: tries }, () => once(args, env));
  const cpu = median(rs.map((r) => r.cpu));
  process.stdout.write(`${label.padEnd(44)} wall ${median(rs.map((r) => r.wall)).toFixed(2)} s   CPU ${Number.isNaN(cpu) ? "n/a" : `${cpu.toFixed(2)} s`}   (median of ${tries})\n`);
}

if (!fs.existsSync(path.join(root, "dist", ".built"))) {
  process.stderr.write('no build: run "npm run build" first\n');
  process.exit(2);
}
process.stdout.write(`${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}\n`);
measure("joinleaf help (compiled)", ["help"], {}, n);
measure("joinleaf help (ts-node, as before)", ["help"], { JOINLEAF_FROM_SOURCE: "1" }, n);
const runs = Math.ceil(n / 2);
measure("conformance --driver simulator (compiled)", ["conformance", "--driver", "simulator", "--quiet"], {}, runs);
measure("conformance --driver simulator (ts-node)", ["conformance", "--driver", "simulator", "--quiet"], { JOINLEAF_FROM_SOURCE: "1" }, runs);
fs.rmSync(reports, { recursive: true, force: true });
