/**
 * What the port contract suites (`lib/customers/store_contract.ts`,
 * `lib/products/search_contract.ts`) share: each case is a step of the calling test, run on a
 * port implementation opened fresh for it and released after it, pass or fail.
 *
 * @module
 */

/** An implementation under test and how to release what it holds. */
export interface Opened {
  close?(): Promise<void> | void;
}

/**
 * The step function of a contract suite: `step(name, fn)` opens an implementation with `open`,
 * runs `fn` on it as a step of `t`, then closes it.
 */
export function contractSteps<T extends Opened>(
  t: Deno.TestContext,
  open: () => Promise<T> | T,
): (name: string, fn: (opened: T) => Promise<void>) => Promise<boolean> {
  return (name, fn) =>
    t.step(name, async () => {
      const opened = await open();
      try {
        await fn(opened);
      } finally {
        await opened.close?.();
      }
    });
}
