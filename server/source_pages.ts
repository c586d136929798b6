/**
 * The readable HTML pages of cited sources: a product, and a manual put back together from its
 * passages with one anchor per section (`id` = the `#section` of the passages' urls) and one per
 * passage (`id` = the passage id an answer cites, e.g. `1-manual-warranty`). Every value from
 * the store is escaped; passage text is Markdown rendered by `marked` through the project's
 * narrowed renderer (`lib/display/_markdown.ts`: raw HTML shown as text, only safe link targets),
 * because DOMPurify needs a DOM that linkedom does not provide (`createHTMLDocument`).
 *
 * @module
 */
import { markdownDocumentToHtml } from "../lib/display/_markdown.ts";
import { escapeHtml } from "../lib/display/escape.ts";
import { sectionAnchor } from "../lib/products/sources.ts";
import type { SearchFields } from "../lib/products/types.ts";

const STYLE = `
:root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2a22;
  background: #f5f7f4; line-height: 1.5; }
body { margin: 0; }
header { background: #2f6b45; color: #fff; padding: 0.75rem 1.25rem; }
header a { color: #fff; }
main { max-width: 46rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
nav.toc ol { padding-left: 1.25rem; }
section { scroll-margin-top: 1rem; }
section:target, section:has(:target) { outline: 3px solid #2f6b45; outline-offset: 0.4rem;
  border-radius: 0.2rem; }
a:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
.meta { color: #4a5a4f; }
table { border-collapse: collapse; } td, th { border: 1px solid #d5ddd7; padding: 0.25rem 0.5rem; }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Contoso Outdoors</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header><a href="/chat">Contoso Outdoors assistant</a></header>
<main>
${body}
</main>
</body>
</html>
`;
}

/** The text of a document after the title line it starts with. */
function bodyOf(doc: SearchFields): string {
  const content = doc.content.replace(/\r\n?/g, "\n");
  return content.startsWith(`${doc.title}\n`)
    ? content.slice(doc.title.length + 1)
    : content === doc.title
    ? ""
    : content;
}

/** "Summit Dome 2 Tent — Care, Storage" → ["Summit Dome 2 Tent", "Care, Storage"]. */
function splitTitle(title: string): [string, string] {
  const at = title.indexOf(" — ");
  return at < 0 ? [title, title] : [title.slice(0, at), title.slice(at + 3)];
}

/** The page of a product (its catalog document), linking its manuals (url paths). */
export function productPage(product: SearchFields, manuals: string[] = []): string {
  const facts = [
    product.category && `Category: ${product.category}`,
    product.brand && `Brand: ${product.brand}`,
    `Product #${product.productId || product.id}`,
  ].filter(Boolean).map((f) => escapeHtml(String(f))).join(" · ");
  return page(
    product.title,
    `<article id="${escapeHtml(product.id)}">
<h1>${escapeHtml(product.title)}</h1>
<p class="meta">${facts}</p>
${markdownDocumentToHtml(bodyOf(product))}
${
      manuals.length
        ? `<h2>Manuals</h2>\n<ul>${
          manuals.map((path) => {
            const file = decodeURIComponent(path.replace(/^\/manuals\//, ""));
            return `<li><a href="${escapeHtml(path)}">${escapeHtml(file)}</a></li>`;
          }).join("")
        }</ul>`
        : ""
    }
</article>`,
  );
}

/**
 * The page of a manual from its passages in order: a table of contents, then one `<section>`
 * per passage; the first passage of each section anchor carries the heading and the anchor.
 */
export function manualPage(file: string, passages: SearchFields[]): string {
  const product = splitTitle(passages[0]?.title ?? file)[0];
  const seen = new Set<string>();
  const toc: string[] = [];
  const sections = passages.map((doc) => {
    const anchor = sectionAnchor(doc.url);
    const heading = splitTitle(doc.title)[1];
    const first = anchor !== "" && !seen.has(anchor);
    seen.add(anchor);
    if (first) {
      toc.push(`<li><a href="#${escapeHtml(anchor)}">${escapeHtml(heading)}</a></li>`);
    }
    // The section anchor sits on the heading, so both it and the passage id can be targets.
    const h2 = first ? `<h2 id="${escapeHtml(anchor)}">${escapeHtml(heading)}</h2>\n` : "";
    return `<section id="${escapeHtml(doc.id)}" aria-label="${escapeHtml(heading)}">
${h2}${markdownDocumentToHtml(bodyOf(doc))}
</section>`;
  });
  const productId = passages[0]?.productId;
  return page(
    `${product} manual`,
    `<article>
<h1>${escapeHtml(product)} manual</h1>
<p class="meta">${
      productId
        ? `For <a href="/products/${encodeURIComponent(productId)}">product #${
          escapeHtml(productId)
        }</a> · `
        : ""
    }${escapeHtml(file)}</p>
<nav class="toc" aria-label="Sections"><ol>
${toc.join("\n")}
</ol></nav>
${sections.join("\n")}
</article>`,
  );
}
