/**
 * The architecture picture of the first notebook: what runs where on Azure, and the embedded
 * stand-in of each service when nothing is configured. Hand-written SVG, no browser needed.
 *
 * @module
 */
import { escapeHtml, html, type Rendered } from "../display/mod.ts";

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
  title: string;
  lines: string[];
  local?: string;
  fill: string;
}

const SERVICES: Box[] = [
  {
    x: 560,
    y: 20,
    w: 300,
    h: 92,
    title: "Azure OpenAI (AI Services)",
    lines: ["chat gpt-4.1-mini · embeddings", "text-embedding-3-small · judge gpt-4.1"],
    local: "local: offline model (same openai client)",
    fill: "#e8f1fb",
  },
  {
    x: 560,
    y: 126,
    w: 300,
    h: 78,
    title: "Azure Cosmos DB for NoSQL",
    lines: ["contoso-outdoor / customers, key /id"],
    local: "local: embedded Cosmos DB server",
    fill: "#eaf6ec",
  },
  {
    x: 560,
    y: 218,
    w: 300,
    h: 78,
    title: "Azure AI Search",
    lines: ["products + manuals: hybrid + semantic"],
    local: "local: in-process Orama hybrid index",
    fill: "#fdf3e3",
  },
  {
    x: 560,
    y: 310,
    w: 300,
    h: 78,
    title: "Application Insights + Log Analytics",
    lines: ["OpenTelemetry traces, container logs"],
    local: "local: spans shown in the notebook",
    fill: "#f3ecfa",
  },
];

function box(b: Box): string {
  const text = [
    `<text x="${b.x + 12}" y="${b.y + 22}" class="t">${escapeHtml(b.title)}</text>`,
    ...b.lines.map((l, i) =>
      `<text x="${b.x + 12}" y="${b.y + 42 + i * 16}" class="s">${escapeHtml(l)}</text>`
    ),
  ];
  if (b.local) {
    text.push(
      `<text x="${b.x + 12}" y="${b.y + b.h - 10}" class="l">${escapeHtml(b.local)}</text>`,
    );
  }
  return `<g><rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="8" fill="${b.fill}" stroke="#6b7280"/>${
    text.join("")
  }</g>`;
}

function arrow(x1: number, y1: number, x2: number, y2: number, label = ""): string {
  const mid = label
    ? `<text x="${(x1 + x2) / 2}" y="${(y1 + y2) / 2 - 6}" class="a" text-anchor="middle">${
      escapeHtml(label)
    }</text>`
    : "";
  return `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#374151" stroke-width="1.5" marker-end="url(#head)"/>${mid}`;
}

/** The architecture as an SVG document (a string). */
export function architectureSvg(): string {
  const client: Box = {
    x: 20,
    y: 150,
    w: 170,
    h: 100,
    title: "Customer / learner",
    lines: ["chat page, notebooks,", "POST /api/create_response"],
    fill: "#ffffff",
  };
  const app: Box = {
    x: 250,
    y: 110,
    w: 250,
    h: 180,
    title: "Azure Container Apps",
    lines: [
      "Hono server (server/) on lib/:",
      "1 look up the customer",
      "2 turn the question into queries",
      "3 hybrid search products + manuals",
      "4 answer from exactly that material",
      "runs as a managed identity: no keys",
    ],
    local: "local: deno task start on :8000",
    fill: "#eef2ff",
  };
  const registry: Box = {
    x: 250,
    y: 318,
    w: 250,
    h: 70,
    title: "Azure Container Registry",
    lines: ["image built remotely by azd deploy"],
    fill: "#f9fafb",
  };
  const targets = SERVICES.map((s) => s.y + s.h / 2);
  const body = [
    box(client),
    box(app),
    box(registry),
    ...SERVICES.map(box),
    arrow(190, 200, 248, 200, "HTTPS"),
    ...targets.map((y) => arrow(500, 200, 558, y)),
    arrow(375, 316, 375, 292),
  ].join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="880" height="410" viewBox="0 0 880 410" font-family="system-ui, sans-serif" role="img" aria-label="Contoso Chat architecture">` +
    `<style>.t{font-size:14px;font-weight:600;fill:#111827}.s{font-size:12px;fill:#374151}.l{font-size:11px;fill:#6b7280;font-style:italic}.a{font-size:11px;fill:#374151}</style>` +
    `<defs><marker id="head" markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#374151"/></marker></defs>` +
    body + `</svg>`;
}

/**
 * The architecture for a notebook cell (SVG inside HTML; its text is the plain-text fallback).
 *
 * @example
 * ```ts
 * import { architectureDiagram } from "./architecture.ts";
 * console.assert(architectureDiagram().bundle["text/html"].startsWith("<svg"));
 * ```
 */
export function architectureDiagram(): Rendered {
  return html(architectureSvg());
}
