/**
 * The mail driver @lucent/auth provides: SMTP through nodemailer when
 * SMTP_URL is set (or `transport: "smtp"`), a user function, or the console
 * transport. Auth mail carries reset and verification links, so in
 * production the console is used only when chosen explicitly, and then
 * prints no body: a log is read by more people than a mailbox.
 */
import type { DriverContext, Logger, MailMessage, MailTransport } from "@lucent/core";
import { assertOneMailbox, ConfigError, consoleMail } from "@lucent/core";
import type { Transporter } from "nodemailer";
import type { MailOptions } from "./options.ts";

export function smtpMail(input: { url: string; from: string }): MailTransport {
  // Created on first send, so a config with SMTP_URL starts even while the relay is down.
  let transporter: Promise<Transporter> | undefined;
  const open = () => {
    transporter ??= import("nodemailer").then((m) => m.createTransport(input.url));
    return transporter;
  };
  return {
    name: "smtp",
    async send(message: MailMessage) {
      // nodemailer reads `to` as a list: "a, b" mails both, a line break can mail someone else alone.
      assertOneMailbox(message.to);
      const t = await open();
      await t.sendMail({
        from: message.from ?? input.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
      });
    },
    async stop() {
      if (transporter) (await transporter).close();
    },
  };
}

export function functionMail(fn: (message: MailMessage) => Promise<void>): MailTransport {
  return {
    name: "function",
    async send(message) {
      assertOneMailbox(message.to);
      await fn(message);
    },
  };
}

/** The console transport without bodies: who, what, never the link. */
export function redactedConsoleMail(logger: Logger): MailTransport {
  return {
    name: "console",
    async send(message) {
      assertOneMailbox(message.to);
      logger.info(
        { mail: { to: message.to, subject: message.subject, text: "[redacted]" } },
        "mail (console transport)",
      );
    },
  };
}

/** The driver factory handed to the kernel; SMTP_URL is read when the kernel starts. */
export function mailDriver(options: MailOptions | undefined, from: () => string) {
  return (ctx: DriverContext): MailTransport => {
    const transport = options?.transport ?? (Bun.env.SMTP_URL ? "smtp" : "console");
    if (typeof transport === "function") return functionMail(transport);
    if (transport === "console") {
      if (!ctx.production) return consoleMail(ctx.logger);
      if (options?.transport !== "console") {
        throw new ConfigError([
          '@lucent/auth mail: NODE_ENV=production and SMTP_URL is not set; set SMTP_URL, or choose mail.transport in auth({ mail }) ("console" prints mail to the log, without bodies)',
        ]);
      }
      return redactedConsoleMail(ctx.logger);
    }
    const url = Bun.env.SMTP_URL;
    if (!url) {
      throw new ConfigError([
        '@lucent/auth mail.transport is "smtp" but SMTP_URL is not set; set SMTP_URL or choose another transport',
      ]);
    }
    return smtpMail({ url, from: from() });
  };
}
