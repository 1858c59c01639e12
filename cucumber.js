// Cucumber profiles. `npx cucumber-js -p simulator` and `npm run conformance -- --driver simulator`
// run the same configuration: both come from src/profile.js.
const { profile } = require("./src/profile");

module.exports = {
  default: profile({ driver: "simulator", edition: "current" }),
  simulator: profile({ driver: "simulator", edition: "current" }),
  "simulator-legacy": profile({ driver: "simulator", edition: "legacy" }),
};
