// Small helpers for the self-contained HTML reports (inline CSS, no scripts from the network).
import type { Status } from "../results";

export function esc(s: unknown): string {
  return String(s ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** Escapes text for a Markdown table cell (one line, no pipes). */
export function mdCell(s: unknown): string {
  return String(s ?? "")
    .replace(/\r?\n+/g, " ")
    .replace(/\|/g, "\\|")
    .trim();
}

export function statusClass(status: Status | undefined): string {
  return status ? "st-" + status.toLowerCase().replace(/\s+/g, "-") : "st-none";
}

export function firstLine(s: string | undefined, max = 160): string {
  const l = (s ?? "").split("\n")[0].trim();
  return l.length > max ? l.slice(0, max - 1) + "…" : l;
}

export function shorten(s: string, max: number): string {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length > max ? t.slice(0, max - 1) + "…" : t;
}

export const BASE_CSS = `
:root { --fg:#1d2125; --muted:#5f6b76; --line:#d7dde3; --bg:#ffffff; --head:#f3f5f7;
  --pass:#1f7a3a; --pass-bg:#e3f4e8; --fail:#a4161a; --fail-bg:#fde2e2; --xfail:#8a5a00; --xfail-bg:#fff1cc;
  --xpass:#7a1fa2; --xpass-bg:#f3e0fa; --uns:#4b5563; --uns-bg:#eceff3; --nt:#4b5563; --nt-bg:#f7f7f7;
  --to:#9a3412; --to-bg:#ffe4d1; --crash:#ffffff; --crash-bg:#7f1d1d; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--fg); background: var(--bg); margin: 0 auto; padding: 16px 24px 48px; max-width: 1600px; }
h1 { font-size: 22px; margin: 8px 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; } h3 { font-size: 15px; margin: 18px 0 6px; }
p.lead, .muted { color: var(--muted); }
a { color: #0b5cad; text-decoration: none; } a:hover { text-decoration: underline; }
code, pre { font: 12.5px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; overflow-x: auto; white-space: pre; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--line); padding: 4px 8px; vertical-align: top; text-align: left; }
thead th { background: var(--head); position: sticky; top: 0; z-index: 1; }
.badge { display: inline-block; border-radius: 10px; padding: 0 7px; font-size: 11.5px; background: #eef1f4; color: var(--muted); margin-right: 4px; white-space: nowrap; }
.cell { white-space: nowrap; font-weight: 600; font-size: 12.5px; }
.cell small { font-weight: 400; display: block; white-space: normal; max-width: 260px; }
.st-pass { color: var(--pass); background: var(--pass-bg); }
.st-fail { color: var(--fail); background: var(--fail-bg); }
.st-expected-fail { color: var(--xfail); background: var(--xfail-bg); }
.st-unexpected-pass { color: var(--xpass); background: var(--xpass-bg); }
.st-unsupported { color: var(--uns); background: var(--uns-bg); }
.st-not-testable { color: var(--nt); background: var(--nt-bg); }
.st-timeout { color: var(--to); background: var(--to-bg); }
.st-crash { color: var(--crash); background: var(--crash-bg); }
.st-none { color: #9aa3ab; font-weight: 400; }
.legend span { margin-right: 6px; padding: 1px 6px; border-radius: 4px; font-size: 12px; font-weight: 600; }
`;

export function page(title: string, body: string, css = ""): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${BASE_CSS}${css}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
