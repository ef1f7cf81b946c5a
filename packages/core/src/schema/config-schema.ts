/** zod schemas for the config's shape; cross-references are checked in config.ts. */
import { z } from "zod";
import { fieldTypes, fieldTypesVersion } from "./field-types/registry.ts";
import type { FieldTypeDefinition } from "./field-types/types.ts";

const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === "function", {
  message: "must be a function",
});
const hookList = z.array(fn, { message: "must be an array of functions" }).optional();
const FIELD_NAME = /^[a-z][a-zA-Z0-9]*$/;
const RESERVED = new Set(["id", "createdAt", "updatedAt", "and", "or"]);

const base = {
  required: z.boolean().optional(),
  defaultValue: z.unknown().optional(),
  description: z.string().optional(),
  access: z
    .object({ read: fn.optional(), create: fn.optional(), update: fn.optional() })
    .strict()
    .optional(),
  hooks: z.object({ beforeChange: hookList, afterRead: hookList }).strict().optional(),
};
const indexable = { unique: z.boolean().optional(), index: z.boolean().optional() };

function fieldRecord(field: z.ZodType) {
  return z.record(z.string(), field).superRefine((fields, ctx) => {
    for (const name of Object.keys(fields)) {
      if (!FIELD_NAME.test(name)) {
        ctx.addIssue({
          code: "custom",
          path: [name],
          message: "field names are camelCase: a lower-case letter, then letters and digits",
        });
      } else if (RESERVED.has(name)) {
        ctx.addIssue({ code: "custom", path: [name], message: `"${name}" is reserved` });
      }
    }
  });
}

/** One type's config: its own options from the table, then the options every field takes. */
function typeConfig(type: FieldTypeDefinition, itemFields: z.ZodType) {
  return z
    .object({
      type: z.literal(type.type),
      ...type.options?.({ itemFields }),
      ...base,
      ...(type.indexable ? indexable : {}),
    })
    .strict();
}

/** A discriminated union needs at least one member; the table always has the built-in types. */
function nonEmpty<T>(items: readonly T[]): [T, ...T[]] {
  const [first, ...rest] = items;
  if (first === undefined) throw new Error("the field-type table is empty");
  return [first, ...rest];
}

/**
 * The field config schemas, generated from the field-type table so that a
 * type added to it is accepted here too.
 */
function buildFieldSchemas(): z.ZodType {
  const types = fieldTypes();
  // Types allowed in an array's items cannot hold item fields of their own: one level only.
  const items = types.filter((t) => t.inArray !== false).map((t) => typeConfig(t, z.never()));
  const itemField = z.discriminatedUnion("type", nonEmpty(items), {
    error: (issue) => (issue.code === "invalid_union" ? "unknown field type" : undefined),
  });
  const itemFields = fieldRecord(itemField);
  const names = types.map((t) => t.type).join(", ");
  return z.discriminatedUnion("type", nonEmpty(types.map((t) => typeConfig(t, itemFields))), {
    error: (issue) =>
      issue.code === "invalid_union" ? `unknown field type (${names})` : undefined,
  });
}

let built: { version: number; schema: z.ZodType } | undefined;

/**
 * A field's config checked by the current table. Not `z.lazy`, which keeps
 * its first answer: a type may be added after this module loads. Issues keep
 * their paths and messages, which is all a ConfigError shows.
 */
export const fieldConfigSchema = z.unknown().superRefine((field, ctx) => {
  if (built?.version !== fieldTypesVersion()) {
    built = { version: fieldTypesVersion(), schema: buildFieldSchemas() };
  }
  const result = built.schema.safeParse(field);
  if (result.success) return;
  for (const issue of result.error.issues) {
    ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  }
});

const collectionSchema = z
  .object({
    slug: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]{0,47}$/,
        "lower-case letters, digits and dashes, starting with a letter",
      ),
    fields: fieldRecord(fieldConfigSchema),
    access: z
      .object({
        read: fn.optional(),
        create: fn.optional(),
        update: fn.optional(),
        delete: fn.optional(),
      })
      .strict()
      .optional(),
    hooks: z
      .object({
        beforeValidate: hookList,
        beforeChange: hookList,
        afterChange: hookList,
        beforeRead: hookList,
        afterRead: hookList,
        beforeDelete: hookList,
        afterDelete: hookList,
        afterCommit: hookList,
      })
      .strict()
      .optional(),
    auth: z.union([z.boolean(), z.record(z.string(), z.unknown())]).optional(),
    timestamps: z.boolean().optional(),
    indexes: z
      .array(
        z.object({ fields: z.array(z.string()).min(1), unique: z.boolean().optional() }).strict(),
      )
      .optional(),
  })
  .strict();

const moduleSchema = z.looseObject({ name: z.string().min(1) });

export const configSchema = z
  .object({
    db: z
      .object({
        url: z
          .string()
          .regex(/^(postgres(ql)?:\/\/|memory:\/\/$)/, "must be a postgres:// URL (or memory://)")
          .optional()
          .or(z.literal("")),
        poolSize: z.int().min(1).max(1000).optional(),
        statementTimeout: z
          .int({ message: "must be a whole number of milliseconds (0 for no limit)" })
          .min(0, "must be a whole number of milliseconds (0 for no limit)")
          .optional(),
        adapter: z
          .custom(
            (v) => typeof v === "object" && v !== null && "execute" in v,
            "must be a DatabaseAdapter",
          )
          .optional(),
      })
      .strict()
      .optional(),
    api: z
      .object({
        prefix: z
          .string()
          .regex(/^\/?[a-zA-Z0-9_\-/]*$/, "must be a URL path")
          .optional(),
        cors: z
          .object({
            origin: z.union([z.literal("*"), z.array(z.string().min(1))]),
            credentials: z.boolean().optional(),
          })
          .strict()
          .optional(),
        bodyLimit: z.int().positive().optional(),
        trustProxy: z
          .int({ message: "must be the number of proxies in front of the app (0 or more)" })
          .min(0, "must be the number of proxies in front of the app (0 or more)")
          .optional(),
        rateLimit: z
          .union([
            z.literal(false),
            z
              .object({
                api: z.int().positive().optional(),
                sensitive: z.int().positive().optional(),
                windowMs: z.int().positive().optional(),
                keyPrefix: z.string().max(100).optional(),
                key: fn.optional(),
              })
              .strict(),
          ])
          .optional(),
        cache: z
          .union([
            z.literal(false),
            z
              .object({
                ttlMs: z.int().positive().optional(),
                maxEntries: z.int().positive().optional(),
              })
              .strict(),
          ])
          .optional(),
      })
      .strict()
      .optional(),
    collections: z.array(collectionSchema),
    modules: z.array(moduleSchema).optional(),
    jobs: z
      .record(
        z.string(),
        z.looseObject({
          handler: fn,
          attempts: z.int().min(1).optional(),
          concurrency: z.int().min(1).optional(),
          cron: z.string().optional(),
        }),
      )
      .optional(),
    migrations: z
      .object({ auto: z.boolean().optional(), dropOrphaned: z.boolean().optional() })
      .strict()
      .optional(),
    dataDir: z.string().min(1).optional(),
    logger: z.unknown().optional(),
    typegen: z
      .object({ output: z.union([z.string().min(1), z.literal(false)]).optional() })
      .strict()
      .optional(),
  })
  .strict();
