/** The four requests both servers are measured on. */

export const ENDPOINT_KEYS = ["list", "get", "depth", "create"] as const;
export type EndpointKey = (typeof ENDPOINT_KEYS)[number];

/** Replaced in `bodyTemplate` by a token unique to each request. */
export const UNIQUE = "{{n}}";

export interface Endpoint {
  key: EndpointKey;
  /** What the table shows. */
  label: string;
  method: "GET" | "POST";
  /** Paths the requests rotate over, in order. */
  paths: readonly string[];
  /** JSON body with `UNIQUE` where each request puts its own token. */
  bodyTemplate?: string;
}

/**
 * A post as a client would create it. Draft, because publishing makes the
 * demo queue a job, which is not CRUD work and the baseline has no jobs.
 * The demo derives the slug (unique) from the title, so every title differs.
 */
const CREATE_BODY = JSON.stringify({
  title: `Bench post ${UNIQUE}`,
  status: "draft",
  tags: ["news", "tech"],
  rating: 4.5,
  body: { root: { type: "root", children: [{ type: "paragraph", text: "Written under load." }] } },
  metadata: { source: "bench", wordCount: 3 },
});

export function endpoints(ids: readonly string[]): Record<EndpointKey, Endpoint> {
  return {
    list: { key: "list", label: "GET /api/posts", method: "GET", paths: ["/api/posts"] },
    get: {
      key: "get",
      label: "GET /api/posts/:id",
      method: "GET",
      paths: ids.map((id) => `/api/posts/${id}`),
    },
    depth: {
      key: "depth",
      label: "GET /api/posts?depth=1",
      method: "GET",
      paths: ["/api/posts?depth=1"],
    },
    create: {
      key: "create",
      label: "POST /api/posts",
      method: "POST",
      paths: ["/api/posts"],
      bodyTemplate: CREATE_BODY,
    },
  };
}
