/** Applies a migration plan on startup, under a Postgres advisory lock, and records it. */
import { sql } from "drizzle-orm";
import type { DatabaseAdapter } from "../drivers/drivers.ts";
import type { Logger } from "../kernel/logger.ts";
import { type MigrationPlan, planMigration } from "./migrate-plan.ts";
import type { TableSpec } from "./table-spec.ts";

const HISTORY_TABLE = `create table if not exists lucent_migrations (
  id serial primary key,
  statements text[] not null,
  tables text[] not null,
  applied_at timestamptz not null default now()
)`;

export interface MigrateOptions {
  db: DatabaseAdapter;
  specs: readonly TableSpec[];
  /** Apply drops of orphaned columns and tables. @default false */
  dropOrphaned?: boolean;
  /** Compute the plan without applying it. @default false */
  dryRun?: boolean;
  logger?: Logger;
}

export interface MigrateResult extends MigrationPlan {
  /** The statements run (empty for a dry run). */
  applied: string[];
}

/**
 * One transaction holds a transaction-scoped advisory lock, so instances
 * starting together run one after the other: the second plans against the
 * schema the first committed and finds nothing to do. DDL is transactional
 * in Postgres, so a failed migration leaves nothing half-applied.
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const { db, specs, logger } = options;
  return db.transaction(async (tx) => {
    // Waiting for another instance's migration, or building an index on a big
    // table, may take longer than requests are allowed (db.statementTimeout).
    await tx.execute(sql`set local statement_timeout = 0`);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('lucent_migrations'))`);
    await tx.execute(sql.raw(HISTORY_TABLE));
    const plan = await planMigration(tx, specs);
    const drops = options.dropOrphaned
      ? plan.destructive.flatMap((d) => (d.sql ? [d.sql] : []))
      : [];
    for (const change of plan.destructive) {
      if (!drops.includes(change.sql ?? "")) {
        logger?.warn(
          { table: change.table, column: change.column },
          `migration skipped: ${change.message}`,
        );
      }
    }
    if (options.dryRun) return { ...plan, applied: [] };
    const applied = [...plan.statements, ...drops];
    for (const statement of applied) await tx.execute(sql.raw(statement));
    if (applied.length > 0) {
      const tables = drops.length
        ? plan.tables.filter(
            (t) =>
              !plan.destructive.some(
                (d) => d.kind === "drop-table" && d.table === t && drops.includes(d.sql ?? ""),
              ),
          )
        : plan.tables;
      await tx.execute(
        sql`insert into lucent_migrations (statements, tables) values (${sql.param(applied)}::text[], ${sql.param(tables)}::text[])`,
      );
      logger?.info({ statements: applied.length }, "migrations applied");
    }
    return { ...plan, applied };
  });
}

/** Renders a plan as SQL text, for `lucent migrate --dry-run`. */
export function planToSql(plan: MigrationPlan, dropOrphaned = false): string {
  const lines = plan.statements.map((s) => `${s};`);
  for (const change of plan.destructive) {
    if (change.sql && dropOrphaned) lines.push(`${change.sql};`);
    else
      lines.push(
        `-- not applied: ${change.message}${change.sql ? ` (dropOrphaned: true applies: ${change.sql})` : ""}`,
      );
  }
  return lines.length ? lines.join("\n") : "-- the database is up to date";
}
