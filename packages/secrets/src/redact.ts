/**
 * Objects that hold key material or plaintext describe themselves through
 * these three hooks only, so `String(x)`, `JSON.stringify(x)`,
 * `console.log(x)` and `Bun.inspect(x)` all print the same harmless summary.
 */
const inspectCustom = Symbol.for("nodejs.util.inspect.custom");

export function redacted(target: object, summary: () => string): void {
  Object.defineProperties(target, {
    toString: { value: summary, enumerable: false },
    toJSON: { value: summary, enumerable: false },
    [inspectCustom]: { value: summary, enumerable: false },
  });
}
