/** Names in the document: component schemas and operationIds, derived from collection slugs. */

/** `blog-posts` → `BlogPosts`. */
export function pascal(slug: string): string {
  return slug
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
}

/**
 * A plain English singular, enough for readable names (`posts` → `post`,
 * `categories` → `category`). A slug that is not a plural stays as it is.
 */
export function singular(word: string): string {
  if (/[^aeiou]ies$/i.test(word)) return `${word.slice(0, -3)}y`;
  if (/(ss|x|ch|sh)es$/i.test(word)) return word.slice(0, -2);
  if (/[^s]s$/i.test(word)) return word.slice(0, -1);
  return word;
}

/** Names of shared components (see shared-components.ts); a collection never takes one of them. */
export const RESERVED_SCHEMA_NAMES = [
  "Error",
  "ErrorDetail",
  "StoredFile",
  "JsonValue",
  "Health",
] as const;

export interface CollectionNames {
  /** The document schema (`Post`). */
  doc: string;
  create: string;
  update: string;
  list: string;
  where: string;
  /** `Posts`, for `listPosts`. */
  plural: string;
}

export function collectionNames(slug: string): CollectionNames {
  const plural = pascal(slug);
  let doc = pascal(singular(slug));
  // A collection whose name is a shared component's (`errors` → `Error`) gets a suffix.
  if ((RESERVED_SCHEMA_NAMES as readonly string[]).includes(doc)) doc = `${doc}Doc`;
  return {
    doc,
    create: `${doc}CreateInput`,
    update: `${doc}UpdateInput`,
    list: `${doc}List`,
    where: `${doc}Where`,
    plural,
  };
}

/** A `$ref` to a component schema. */
export function ref(name: string): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}
