/**
 * The architecture picture of the first notebook: what runs where on Azure, and the embedded
 * stand-in of each service when nothing is configured. Hand-written SVG, no browser needed.
 * Boxes are sized from their text (with widths that bound the common sans-serif fonts, see
 * `lib/display/_text_width.ts`) and the columns laid out from the boxes, so no label spills out
 * of its box when a line is edited. Styling is in presentation attributes, not a `<style>`
 * element: the SVG is inlined in the notebook's HTML, where class rules would apply to the whole
 * page.
 *
 * @module
 */
import { escapeHtml } from "./escape.ts";
import { figureHtml } from "./chart.ts";
import { type Rendered, rendered } from "./_bundle.ts";
import { textWidth } from "./_text_width.ts";

/** One box of the diagram, before layout. */
interface BoxText {
  title: string;
  lines: string[];
  local?: string;
  fill: string;
}

interface Box extends BoxText {
  x: number;
  y: number;
  w: number;
  h: number;
}

const TITLE = { size: 14, bold: true };
const LINE = { size: 12, bold: false };
const LOCAL = { size: 11, bold: false };
const PAD = 12;
const LINE_STEP = 16;
const GAP = 14;
const MARGIN = 20;

const CLIENT: BoxText = {
  title: "Customer / learner",
  lines: ["chat page, notebooks,", "POST /api/create_response"],
  fill: "#ffffff",
};

const APP: BoxText = {
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

const REGISTRY: BoxText = {
  title: "Azure Container Registry",
  lines: ["image built remotely by azd deploy"],
  fill: "#f9fafb",
};

const SERVICES: BoxText[] = [
  {
    title: "Azure OpenAI (AI Services)",
    lines: ["chat gpt-4.1-mini · embeddings", "text-embedding-3-small · judge gpt-4.1"],
    local: "local: offline model (same openai client)",
    fill: "#e8f1fb",
  },
  {
    title: "Azure Cosmos DB for NoSQL",
    lines: ["contoso-outdoor / customers, key /id"],
    local: "local: embedded Cosmos DB server",
    fill: "#eaf6ec",
  },
  {
    title: "Azure AI Search",
    lines: ["products + manuals: hybrid + semantic"],
    local: "local: in-process Orama hybrid index",
    fill: "#fdf3e3",
  },
  {
    title: "Application Insights + Log Analytics",
    lines: ["OpenTelemetry traces, container logs"],
    local: "local: spans shown in the notebook",
    fill: "#f3ecfa",
  },
];

const FOUNDRY: BoxText = {
  title: "Azure AI Foundry project",
  lines: [
    "evaluation runs: deno task eval --log-to-project",
    "tracing view of the app's spans",
    "connected: App Insights, AI Search (keyless)",
  ],
  local: "local: runs in .runs/eval, spans in the notebook",
  fill: "#fdf2f8",
};

function contentWidth(b: BoxText): number {
  return Math.max(
    textWidth(b.title, TITLE.size, TITLE),
    ...b.lines.map((l) => textWidth(l, LINE.size)),
    b.local ? textWidth(b.local, LOCAL.size) : 0,
  );
}

function heightOf(b: BoxText): number {
  // title baseline at 22, then one 16 px step per line (and for the local note), 10 below.
  return 22 + LINE_STEP * (b.lines.length + (b.local ? 1 : 0)) + 14;
}

function place(b: BoxText, x: number, y: number, w: number): Box {
  return { ...b, x, y, w, h: heightOf(b) };
}

function text(x: number, y: number, value: string, style: string): string {
  return `<text x="${x}" y="${y}" ${style}>${escapeHtml(value)}</text>`;
}

function box(b: Box): string {
  const x = b.x + PAD;
  const parts = [
    text(x, b.y + 22, b.title, `font-size="${TITLE.size}" font-weight="600" fill="#111827"`),
    ...b.lines.map((l, i) =>
      text(x, b.y + 22 + LINE_STEP * (i + 1), l, `font-size="${LINE.size}" fill="#374151"`)
    ),
  ];
  if (b.local) {
    parts.push(text(
      x,
      b.y + 22 + LINE_STEP * (b.lines.length + 1),
      b.local,
      `font-size="${LOCAL.size}" font-style="italic" fill="#4b5563"`,
    ));
  }
  return `<g><rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="8" fill="${b.fill}" ` +
    `stroke="#6b7280"/>${parts.join("")}</g>`;
}

const HEAD = "contoso-architecture-arrowhead";

function arrow(x1: number, y1: number, x2: number, y2: number, label = ""): string {
  const mid = label
    ? text(
      (x1 + x2) / 2,
      (y1 + y2) / 2 - 6,
      label,
      `font-size="11" fill="#374151" text-anchor="middle"`,
    )
    : "";
  return `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#374151" stroke-width="1.5" ` +
    `marker-end="url(#${HEAD})"/>${mid}`;
}

interface Layout {
  client: Box;
  app: Box;
  registry: Box;
  services: Box[];
  foundry: Box;
  width: number;
  height: number;
}

function layout(): Layout {
  const columnWidth = (boxes: BoxText[]) =>
    Math.ceil(Math.max(...boxes.map(contentWidth))) + 2 * PAD;
  const leftW = columnWidth([CLIENT]);
  const midW = columnWidth([APP, REGISTRY]);
  const rightW = columnWidth([...SERVICES, FOUNDRY]);
  const gap = Math.max(58, Math.ceil(textWidth("HTTPS", 11)) + 24);
  const leftX = MARGIN, midX = leftX + leftW + gap, rightX = midX + midW + gap;

  let y = MARGIN;
  const services = SERVICES.map((s) => {
    const placed = place(s, rightX, y, rightW);
    y += placed.h + GAP;
    return placed;
  });
  const servicesBottom = y - GAP;
  // The project sits under Application Insights, which it is connected to (arrow between).
  const foundry = place(FOUNDRY, rightX, servicesBottom + 28, rightW);
  const appH = heightOf(APP);
  const appY = Math.max(MARGIN, Math.round((MARGIN + servicesBottom) / 2 - appH / 2 - 20));
  const app = place(APP, midX, appY, midW);
  const registry = place(REGISTRY, midX, app.y + app.h + 28, midW);
  const clientH = heightOf(CLIENT);
  const client = place(CLIENT, leftX, Math.round(app.y + app.h / 2 - clientH / 2), leftW);
  const bottom = Math.max(
    foundry.y + foundry.h,
    registry.y + registry.h,
    client.y + client.h,
  );
  return {
    client,
    app,
    registry,
    services,
    foundry,
    width: rightX + rightW + MARGIN,
    height: bottom + MARGIN,
  };
}

/** The architecture as an SVG document (a string). */
export function architectureSvg(): string {
  const { client, app, registry, services, foundry, width, height } = layout();
  const insights = services[services.length - 1];
  const appMid = app.y + app.h / 2;
  const body = [
    box(client),
    box(app),
    box(registry),
    ...services.map(box),
    box(foundry),
    arrow(client.x + client.w, appMid, app.x - 2, appMid, "HTTPS"),
    ...services.map((s) => arrow(app.x + app.w, appMid, s.x - 2, s.y + s.h / 2)),
    arrow(
      registry.x + registry.w / 2,
      registry.y - 2,
      registry.x + registry.w / 2,
      app.y + app.h + 2,
    ),
    arrow(
      foundry.x + foundry.w / 2,
      foundry.y - 2,
      foundry.x + foundry.w / 2,
      insights.y + insights.h + 2,
    ),
  ].join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" role="img" ` +
    `aria-label="Contoso Chat architecture" style="background:white;color:black">` +
    `<defs><marker id="${HEAD}" markerWidth="8" markerHeight="8" refX="7" refY="4" ` +
    `orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#374151"/></marker></defs>` +
    `<rect width="100%" height="100%" fill="white"/>` + body + `</svg>`;
}

function describe(b: BoxText): string {
  return `${b.title}: ${b.lines.join(" ")}${b.local ? ` [${b.local}]` : ""}`;
}

/** The diagram as text: who calls whom, each part with its local stand-in in brackets. */
export function architectureText(): string {
  return [
    "Contoso Chat architecture (the local stand-in of each part in brackets)",
    describe(CLIENT),
    `  → HTTPS → ${describe(APP)}`,
    ...SERVICES.map((s) => `      → ${describe(s)}`),
    `  ${describe(FOUNDRY)} (reads the traces from Application Insights)`,
    `  ${describe(REGISTRY)} (the app's image)`,
  ].join("\n");
}

/**
 * The architecture for a notebook cell: `<figure data-display="diagram">` with the SVG inline
 * (`text/html`), the SVG (`image/svg+xml`), and {@linkcode architectureText} (`text/plain`).
 *
 * @example
 * ```ts
 * import { architectureDiagram } from "./architecture.ts";
 * console.assert(architectureDiagram().bundle["text/html"].startsWith('<figure data-display="diagram"'));
 * ```
 */
export function architectureDiagram(): Rendered {
  const svg = architectureSvg();
  return rendered({
    "text/html": figureHtml(svg, "diagram"),
    "image/svg+xml": svg,
    "text/plain": architectureText(),
  });
}
