/** A local SMTP server that keeps every message, for tests to read tokens out of real mail. */
import { freePort } from "@lucent/test-utils";
import { SMTPServer } from "smtp-server";
import { readMail } from "./mime-read.ts";

export interface CaughtMail {
  /** The To header, decoded. */
  to: string;
  /** The From header, decoded. */
  from: string;
  subject: string;
  /** The text part, decoded. */
  text: string;
  html?: string;
  /** The envelope's recipients: who the mail was actually sent to. */
  recipients: string[];
  /** Header names, lower-case, in order. */
  headerNames: string[];
  raw: string;
}

function parse(raw: string, recipients: string[]): CaughtMail {
  const mail = readMail(raw);
  const header = (name: string) => mail.headers.get(name) ?? "";
  return {
    to: header("to"),
    from: header("from"),
    subject: header("subject"),
    text: mail.text,
    ...(mail.html === undefined ? {} : { html: mail.html }),
    recipients,
    headerNames: mail.headerNames,
    raw,
  };
}

export interface SmtpSinkOptions {
  /** Recipients the sink refuses (550), as a relay refuses an unknown mailbox. */
  refuse?: (address: string) => boolean;
}

export interface SmtpSink {
  url: string;
  mails: CaughtMail[];
  /** Waits for the first mail to `to` whose subject contains `subject` and that was not taken before. */
  next(to: string, subject: string): Promise<CaughtMail>;
  close(): Promise<void>;
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const mails: CaughtMail[] = [];
  const taken = new Set<CaughtMail>();
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS", "AUTH"],
    authOptional: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (options.refuse?.(address.address)) {
        callback(Object.assign(new Error("no such mailbox"), { responseCode: 550 }));
      } else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        mails.push(parse(Buffer.concat(chunks).toString("utf8"), recipients));
        callback();
      });
    },
  });
  const port = freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    async next(to, subject) {
      for (let i = 0; i < 400; i++) {
        const found = mails.find(
          (m) => !taken.has(m) && m.to.includes(to) && m.subject.includes(subject),
        );
        if (found) {
          taken.add(found);
          return found;
        }
        await Bun.sleep(25);
      }
      throw new Error(`no mail "${subject}" to ${to} arrived`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The token of the first link in a mail. */
export function tokenIn(mail: CaughtMail): string {
  const match = /[?&]token=([a-z0-9]+)/.exec(mail.text);
  if (!match) throw new Error(`no token in the mail "${mail.subject}"`);
  return match[1]!;
}
