// Charts of statuses per catalogue area, drawn in the page by Chart.js. The library is read from
// node_modules and inlined once per page (the reports open offline, so nothing comes from a CDN);
// the numbers stay in the page's tables as well, so the page reads the same without JavaScript.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { ScenarioResult, Status } from "../results";
import { SEVERITY } from "../results";
import type { Catalogue } from "./catalogue";
import { esc } from "./html";

/** Colours of the statuses, as the status classes of html.ts draw them. */
export const STATUS_COLOURS: Record<Status, string> = {
  PASS: "#2e9e50",
  FAIL: "#c62828",
  "EXPECTED FAIL": "#e0a100",
  "UNEXPECTED PASS": "#8e24aa",
  UNSUPPORTED: "#90a4ae",
  "NOT TESTABLE": "#cfd8dc",
  TIMEOUT: "#ef6c00",
  CRASH: "#5d0f0f",
};

export interface AreaCounts {
  areas: string[];
  /** Per status, one count per area (scenarios citing an entry of the area; a scenario counts once per area). */
  counts: Partial<Record<Status, number[]>>;
}

export function countsByArea(results: readonly ScenarioResult[], catalogue: Catalogue): AreaCounts {
  const areas = [...new Set(catalogue.entries.map((e) => e.area))];
  const counts: AreaCounts["counts"] = {};
  for (const r of results) {
    const mine = new Set(r.rules.map((id) => catalogue.byId.get(id)?.area).filter((a): a is string => !!a));
    for (const a of mine) {
      const row = (counts[r.status] ??= areas.map(() => 0));
      row[areas.indexOf(a)]++;
    }
  }
  return { areas, counts };
}

let library: string | undefined;
/** The Chart.js UMD bundle, as a script element (once per page). */
export function chartLibrary(): string {
  // The package exports no path to its UMD bundle; it sits beside the CommonJS entry in dist/.
  library ??= readFileSync(path.join(path.dirname(require.resolve("chart.js")), "chart.umd.min.js"), "utf8");
  return `<script>${library.replace(/<\/script/gi, "<\\/script")}</script>`;
}

const json = (v: unknown) => JSON.stringify(v).replace(/</g, "\\u003c");

/** A stacked bar chart of statuses per area; `chartLibrary()` must be in the page once. */
export function areaChart(id: string, title: string, data: AreaCounts, o: { height?: number } = {}): string {
  const datasets = SEVERITY.slice()
    .reverse()
    .filter((s) => data.counts[s]?.some((n) => n > 0))
    .map((s) => ({ label: s, data: data.counts[s], backgroundColor: STATUS_COLOURS[s] }));
  const config = {
    type: "bar",
    data: { labels: data.areas, datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { title: { display: true, text: title }, legend: { position: "bottom" } },
      scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: "scenarios" }, ticks: { precision: 0 } } },
    },
  };
  return `<div class="chart" style="position:relative;height:${o.height ?? 260}px"><canvas id="${esc(id)}" role="img" aria-label="${esc(title)}"></canvas></div>
<script>(function(){var el=document.getElementById(${json(id)});if(window.Chart&&el)new Chart(el,${json(config)});})();</script>`;
}
