/**
 * Renders the auth mails and hands them to the transport: through the job
 * queue by default (retried, and kept if the process dies), inline otherwise.
 */
import type { Doc, MailMessage } from "@lucent/core";
import { defaultTemplates, type MailKind, tokenLink } from "./mail-templates.ts";
import { type AuthRuntime, inBackground } from "./runtime.ts";

export const MAIL_JOB = "lucent-auth:mail";

/** The job's data: a rendered message. */
export interface MailJobData {
  message: MailMessage;
}

/** A mail to a user: to their address, or to `to` (the old address, for `emailChanged`). */
export interface AuthMail {
  kind: MailKind;
  user: Doc;
  token?: string;
  to?: string;
}

export async function sendAuthMail(rt: AuthRuntime, input: AuthMail): Promise<void> {
  const email = input.to ?? String(input.user.email ?? "");
  if (!email) return;
  const { appUrl, mail } = rt.options;
  const template = mail.templates[input.kind] ?? defaultTemplates[input.kind];
  const link =
    input.token && (input.kind === "verify" || input.kind === "forgot")
      ? tokenLink(appUrl, input.kind, input.token)
      : undefined;
  const content = await template({
    user: input.user,
    email,
    appUrl,
    ...(link ? { link } : {}),
    ...(input.token ? { token: input.token } : {}),
  });
  const message: MailMessage = { to: email, from: mail.from, ...content };
  if (mail.queue) {
    await rt.ctx.jobs.enqueue<MailJobData>(MAIL_JOB, { message }, { attempts: 5 });
  } else {
    await rt.ctx.mail.send(message);
  }
  // The address and kind only: the body may carry a token.
  rt.ctx.logger.info(
    { mail: input.kind, userId: input.user.id },
    mail.queue ? "auth mail queued" : "auth mail sent",
  );
}

/** Queued mail is stored before the response; inline mail is sent after it, so SMTP latency never holds up a request. */
export async function mailUser(rt: AuthRuntime, input: AuthMail): Promise<void> {
  if (rt.options.mail.queue) await sendAuthMail(rt, input);
  else inBackground(rt, () => sendAuthMail(rt, input));
}
