/** Postgres names derived from config names: snake_case, and at most 63 bytes. */

export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/-/g, "_")
    .toLowerCase();
}

/** An identifier of at most 63 characters; longer ones keep a hash suffix to stay unique. */
export function pgIdentifier(name: string): string {
  if (name.length <= 63) return name;
  const hash = Bun.hash(name).toString(36).slice(0, 8);
  return `${name.slice(0, 54)}_${hash}`;
}
