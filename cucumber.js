// Cucumber profiles. `npx cucumber-js -p simulator` and `npm run conformance -- --driver simulator`
// run the same configuration: both come from src/profile.js. What is given to Cucumber's own CLI
// on top of a profile (--tags, --name, feature paths, --dry-run, --world-parameters) is read here
// with Cucumber's own argument parser, so the run is named and recorded for what really ran: a
// narrowed run goes to <driver>-partial, a dry run to <driver>-dry-run, never to <driver>.
const ArgvParser = require("@cucumber/cucumber/lib/configuration/argv_parser").default;
const { profile } = require("./src/profile");

function fromCli(driver, edition) {
  let given = {};
  try {
    given = ArgvParser.parse(process.argv).configuration;
  } catch {
    // not Cucumber's CLI (or arguments it will refuse itself): the profile as written
  }
  const world = given.worldParameters || {};
  const narrowed = [given.name && given.name.length ? `--name ${given.name.join(" ")}` : "", given.paths && given.paths.length ? `paths ${given.paths.join(" ")}` : ""].filter(Boolean).join(", ");
  return profile({
    driver: world.driver || driver,
    edition: world.edition || edition,
    tags: given.tags,
    partial: narrowed,
    dryRun: !!given.dryRun,
    driverOptions: world.driverOptions,
  });
}

module.exports = {
  default: fromCli("simulator", "current"),
  simulator: fromCli("simulator", "current"),
  "simulator-legacy": fromCli("simulator", "legacy"),
};
