// One Cucumber configuration for a run: which driver, which edition, where its reports go.
// Plain JavaScript so that cucumber.js (read by Cucumber without TypeScript) can use it too.
const path = require("node:path");

const EDITIONS = ["current", "legacy"];

/** Scenarios tagged for the other edition are left out of a run. */
function editionFilter(edition) {
  const other = edition === "legacy" ? "current" : "legacy";
  return `not @edition:${other}`;
}

function defaultRunName(driver, edition) {
  return edition === "current" ? driver : `${driver}-${edition}`;
}

/**
 * @param {{driver: string, edition?: string, run?: string, tags?: string, quiet?: boolean,
 *          driverOptions?: Record<string,string>, reportsRoot?: string}} o
 */
function profile(o) {
  const edition = o.edition || "current";
  if (!EDITIONS.includes(edition)) throw new Error(`unknown edition "${edition}"; choose ${EDITIONS.join(" or ")}`);
  const run = o.run || defaultRunName(o.driver, edition);
  const dir = path.join(o.reportsRoot || "reports", run);
  const tags = [editionFilter(edition), o.tags].filter(Boolean).map((t) => `(${t})`).join(" and ");
  return {
    paths: ["features/**/*.feature"],
    require: ["steps/**/*.ts"],
    requireModule: ["ts-node/register/transpile-only"],
    format: [
      o.quiet ? "summary" : "progress",
      `message:${path.join(dir, "messages.ndjson")}`,
      `html:${path.join(dir, "report.html")}`,
      `junit:${path.join(dir, "junit.xml")}`,
    ],
    formatOptions: { junit: { suiteName: `joinleaf-${run}` } },
    tags,
    strict: true,
    worldParameters: { driver: o.driver, edition, run, driverOptions: o.driverOptions || {} },
  };
}

module.exports = { profile, EDITIONS, defaultRunName };
