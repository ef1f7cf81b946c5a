/** Types shared by access rules and hooks. */
import type { LocalApi } from "../kernel/local-api-types.ts";

/** A document as returned by the API: `id`, the readable fields, timestamps. */
export type Doc = { id: string } & Record<string, unknown>;

/** The caller, as resolved by an auth module (`null` when anonymous). */
export interface LucentUser {
  id: string;
  /** The slug of the auth collection the user belongs to. */
  collection: string;
  [field: string]: unknown;
}

export type Operator =
  | "eq"
  | "neq"
  | "gt"
  | "gte"
  | "lt"
  | "lte"
  | "in"
  | "nin"
  | "exists"
  | "like";

export type FieldCondition = Partial<Record<Operator, unknown>>;

/** The query language of CONTRACT §4, as a value. */
export interface Where {
  and?: Where[];
  or?: Where[];
  [field: string]: FieldCondition | Where[] | undefined;
}

export interface AccessArgs {
  user: LucentUser | null;
  /** The HTTP request, or null for a Local API call. */
  req: Request | null;
  /** The stored document (update/delete, and field read). */
  doc?: Doc;
  /** The incoming data (create/update). */
  data?: Record<string, unknown>;
}

/** `true` allows, `false` denies, a `Where` narrows the documents the operation may touch. */
export type AccessResult = boolean | Where;

export type AccessFunction<R = AccessResult> = (args: AccessArgs) => R | Promise<R>;

export interface CollectionAccess {
  read?: AccessFunction;
  create?: AccessFunction<boolean>;
  update?: AccessFunction;
  delete?: AccessFunction;
}

export type Operation = "create" | "update" | "delete" | "read";

/**
 * Who a write is for: the caller and request of the outermost operation. A
 * write made inside another's hooks (`args.lucent.create(...)` without a
 * user) keeps the original caller here, so audit and the change feed
 * attribute it to them; access rules still judge each call's own `user`.
 */
export interface WriteOrigin {
  actor: LucentUser | null;
  /** The `X-Request-Id` of the request, null outside a request. */
  requestId: string | null;
  /** The client's address as the server judged it (CONTRACT §2 TRUST_PROXY), null outside a request. */
  ip: string | null;
}

interface HookBase {
  user: LucentUser | null;
  req: Request | null;
  /** The outermost operation's caller and request (for a read, this one's). */
  origin: WriteOrigin;
  /** The Local API, bound to the running write's transaction. */
  lucent: LocalApi;
  collection: string;
}

export interface ChangeHookArgs extends HookBase {
  data: Record<string, unknown>;
  originalDoc?: Doc;
  operation: "create" | "update";
}

export interface DocHookArgs extends HookBase {
  doc: Doc;
  originalDoc?: Doc;
  operation: Operation;
  /**
   * In `afterChange`: the names of the fields this write stored, write-only
   * ones (a password) included, though their values are in no document.
   */
  writtenFields?: readonly string[];
}

type MaybePromise<T> = T | Promise<T>;

export interface CollectionHooks {
  beforeValidate?: Array<
    (args: ChangeHookArgs) => MaybePromise<Record<string, unknown> | undefined>
  >;
  beforeChange?: Array<(args: ChangeHookArgs) => MaybePromise<Record<string, unknown> | undefined>>;
  afterChange?: Array<(args: DocHookArgs) => MaybePromise<Doc | undefined>>;
  beforeRead?: Array<(args: DocHookArgs) => MaybePromise<Doc | undefined>>;
  afterRead?: Array<(args: DocHookArgs) => MaybePromise<Doc | undefined>>;
  beforeDelete?: Array<(args: DocHookArgs) => MaybePromise<undefined>>;
  afterDelete?: Array<(args: DocHookArgs) => MaybePromise<undefined>>;
  /** After the transaction commits: side effects (mail, jobs, realtime). Never runs for a rollback. */
  afterCommit?: Array<(args: DocHookArgs) => MaybePromise<undefined>>;
}

export type CollectionHookName = keyof CollectionHooks;

export interface FieldHookArgs {
  value: unknown;
  data?: Record<string, unknown>;
  doc?: Doc;
  originalDoc?: Doc;
  operation: Operation;
  user: LucentUser | null;
  req: Request | null;
  field: string;
}

export type FieldHookFunction = (args: FieldHookArgs) => unknown;
