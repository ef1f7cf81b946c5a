/**
 * One BullMQ Worker for one job name: how long a job's lock lasts, how soon a
 * dead worker's job is found, and what a finished job leaves in Redis.
 */
import type { DriverJobDefinitions, Logger } from "@lucent/core";
import type { Job } from "bullmq";
import { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { encodeJobId, queueName } from "./job-ids.ts";

/**
 * A job whose process died runs again once its lock lapses and a stalled check
 * has seen it twice (once to mark it, once to move it): within about
 * LOCK_MS + STALLED_CHECK_MS of the death, 12 s, under the 15 s the contract
 * allows after a restart. BullMQ's defaults (30 s and 30 s) held a welcome mail
 * back for over a minute. A healthy worker renews its locks every 2.5 to 5 s,
 * so a long job never runs twice unless its event loop stalls for ~5 s.
 */
export const LOCK_MS = 10_000;
export const STALLED_CHECK_MS = 2_000;

export interface BullmqWorkerInput {
  name: string;
  def: DriverJobDefinitions[string];
  connection: Redis;
  prefix: string;
  logger: Logger;
}

export function startBullmqWorker(input: BullmqWorkerInput): Worker {
  const { name, def, logger } = input;
  const worker = new Worker(
    queueName(name),
    async (job: Job) => {
      const id = encodeJobId(name, job.id ?? "");
      const attempt = job.attemptsMade + 1;
      const log = logger.child({ job: name, jobId: id, attempt });
      // What a handler returns is not part of the job API, and BullMQ would keep it
      // in the job and its event stream (a mail transport's reply, say): drop it.
      await def.handler(job.data as never, { id, name, attempt, logger: log });
    },
    {
      connection: input.connection,
      prefix: input.prefix,
      concurrency: def.concurrency ?? 1,
      lockDuration: LOCK_MS,
      stalledInterval: STALLED_CHECK_MS,
    },
  );
  // A finished job keeps no payload (mail jobs carry one-time links). BullMQ
  // can only drop a finished job whole, so the data is cleared just after.
  worker.on("completed", (job) => {
    job
      .updateData(null)
      .catch((err) => logger.warn({ err, job: name }, "could not clear a finished job's data"));
  });
  worker.on("failed", (job, err) => {
    const final = !job || job.attemptsMade >= (job.opts.attempts ?? 1);
    const log = logger.child({ job: name, jobId: job?.id && encodeJobId(name, job.id) });
    if (final) log.error({ err }, "job failed; no tries left");
    else log.warn({ err }, "job failed; retrying");
  });
  worker.on("error", (err) => logger.error({ err, job: name }, "job worker error"));
  return worker;
}
