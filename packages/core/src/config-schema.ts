/** zod schemas for the config's shape; cross-references are checked in config.ts. */
import { z } from "zod";

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
const options = z
  .array(z.string().min(1))
  .min(1, "needs at least one option")
  .refine((o) => new Set(o).size === o.length, "options must be unique");

const scalarFields = [
  z
    .object({
      type: z.literal("text"),
      minLength: z.int().min(0).optional(),
      maxLength: z.int().min(1).optional(),
      ...base,
      ...indexable,
    })
    .strict(),
  z.object({ type: z.literal("email"), ...base, ...indexable }).strict(),
  z.object({ type: z.literal("password"), minLength: z.int().min(1).optional(), ...base }).strict(),
  z.object({ type: z.literal("richtext"), ...base }).strict(),
  z
    .object({
      type: z.literal("integer"),
      min: z.number().optional(),
      max: z.number().optional(),
      ...base,
      ...indexable,
    })
    .strict(),
  z
    .object({
      type: z.literal("number"),
      min: z.number().optional(),
      max: z.number().optional(),
      ...base,
      ...indexable,
    })
    .strict(),
  z.object({ type: z.literal("boolean"), ...base, ...indexable }).strict(),
  z.object({ type: z.literal("date"), ...base, ...indexable }).strict(),
  z.object({ type: z.literal("select"), options, ...base, ...indexable }).strict(),
  z.object({ type: z.literal("multiselect"), options, ...base }).strict(),
  z
    .object({
      type: z.literal("json"),
      schema: z.custom((v) => v instanceof z.ZodType, "must be a zod schema").optional(),
      ...base,
    })
    .strict(),
  z
    .object({
      type: z.literal("relationship"),
      relationTo: z.string().min(1),
      hasMany: z.boolean().optional(),
      onDelete: z.enum(["set null", "restrict", "cascade"]).optional(),
      ...base,
      ...indexable,
    })
    .strict(),
  z
    .object({
      type: z.literal("upload"),
      maxSize: z.int().positive().optional(),
      mimeTypes: z.array(z.string().min(1)).optional(),
      ...base,
    })
    .strict(),
] as const;

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

const itemField = z.discriminatedUnion("type", [...scalarFields], {
  error: (issue) => (issue.code === "invalid_union" ? "unknown field type" : undefined),
});

const arrayField = z
  .object({
    type: z.literal("array"),
    fields: fieldRecord(itemField),
    minRows: z.int().min(0).optional(),
    maxRows: z.int().min(1).optional(),
    ...base,
  })
  .strict();

export const fieldSchema = z.discriminatedUnion("type", [...scalarFields, arrayField], {
  error: (issue) =>
    issue.code === "invalid_union"
      ? "unknown field type (text, email, password, richtext, integer, number, boolean, date, select, multiselect, json, array, relationship, upload)"
      : undefined,
});

const collectionSchema = z
  .object({
    slug: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]{0,47}$/,
        "lower-case letters, digits and dashes, starting with a letter",
      ),
    fields: fieldRecord(fieldSchema),
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
