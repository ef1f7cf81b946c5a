/**
 * Related documents for dotted paths, fetched once per change for every
 * subscriber that needs them: one query per related collection and round,
 * never one per subscriber.
 */
import type { Doc, ResolvedCollection, UntypedLocalApi } from "@lucent/core";

/** `undefined`: not fetched yet; `null`: fetched, and no such document. */
export class RelatedDocs {
  private readonly docs = new Map<string, Doc | null>();
  private readonly wanted = new Map<string, Set<string>>();
  /** Queries run, for the statement-count test and the logs. */
  queries = 0;

  constructor(private readonly lucent: UntypedLocalApi) {}

  get(target: ResolvedCollection, id: string): Doc | null | undefined {
    const key = `${target.slug}\u0000${id}`;
    if (this.docs.has(key)) return this.docs.get(key);
    let ids = this.wanted.get(target.slug);
    if (!ids) {
      ids = new Set();
      this.wanted.set(target.slug, ids);
    }
    ids.add(id);
    return undefined;
  }

  get pending(): boolean {
    return this.wanted.size > 0;
  }

  /** Fetches everything asked for since the last call: one query per collection (per 100 ids). */
  async fetch(): Promise<void> {
    const wanted = [...this.wanted];
    this.wanted.clear();
    for (const [slug, ids] of wanted) {
      const list = [...ids].filter((id) => UUID.test(id));
      for (const id of ids) this.docs.set(`${slug}\u0000${id}`, null);
      for (let i = 0; i < list.length; i += 100) {
        const chunk = list.slice(i, i + 100);
        this.queries++;
        const page = await this.lucent.find({
          collection: slug,
          where: { id: { in: chunk } },
          limit: 100,
          overrideAccess: true,
        });
        for (const doc of page.docs) this.docs.set(`${slug}\u0000${doc.id}`, doc);
      }
    }
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
