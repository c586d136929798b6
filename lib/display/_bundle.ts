/**
 * The value every display helper returns: a MIME bundle that Deno's Jupyter kernel renders
 * through `[Symbol.for("Jupyter.display")]()`, and that prints as its `text/plain` form
 * with `console.log` or `String(x)` in a terminal, so a CLI can use the same helpers.
 *
 * @module
 */

/** A Jupyter MIME bundle: MIME type to content, always with a `text/plain` fallback. */
export type MimeBundle = { "text/plain": string } & Record<string, string>;

/** The symbol Deno's kernel looks for to render a value. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display");

/** A value that renders in Jupyter as {@linkcode Rendered.bundle} and prints as text. */
export interface Rendered {
  /** The MIME bundle shown in Jupyter. */
  readonly bundle: MimeBundle;
  /** The `text/plain` form. */
  toString(): string;
  /** What Deno's Jupyter kernel calls to render the value. */
  [JUPYTER_DISPLAY](): MimeBundle;
}

/** Wraps a bundle (plus any extra fields) as a {@linkcode Rendered} value. */
export function rendered<T extends object>(bundle: MimeBundle, extra?: T): Rendered & T {
  const text = bundle["text/plain"];
  return Object.assign(Object.create(null), extra, {
    bundle,
    toString: () => text,
    [JUPYTER_DISPLAY]: () => bundle,
    [Symbol.for("Deno.customInspect")]: () => text,
  });
}

/** True for values made by {@linkcode rendered}. */
export function isRendered(value: unknown): value is Rendered {
  return typeof value === "object" && value !== null && JUPYTER_DISPLAY in value &&
    "bundle" in value;
}
