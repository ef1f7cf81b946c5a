/** A local SMTP server that keeps every message, for tests to read tokens out of real mail. */
import { freePort } from "@lucent/test-utils";
import { SMTPServer } from "smtp-server";

export interface CaughtMail {
  to: string;
  subject: string;
  text: string;
  raw: string;
}

function decodeQuotedPrintable(body: string): string {
  return body
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

function parse(raw: string): CaughtMail {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const header = (name: string) =>
    new RegExp(`^${name}:\\s*(.*)$`, "im").exec(head)?.[1]?.trim() ?? "";
  let text = raw.slice(split + 4);
  if (/quoted-printable/i.test(header("Content-Transfer-Encoding")))
    text = decodeQuotedPrintable(text);
  return { to: header("To"), subject: header("Subject"), text, raw };
}

export interface SmtpSink {
  url: string;
  mails: CaughtMail[];
  /** Waits for the first mail to `to` whose subject contains `subject` and that was not taken before. */
  next(to: string, subject: string): Promise<CaughtMail>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: CaughtMail[] = [];
  const taken = new Set<CaughtMail>();
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS", "AUTH"],
    authOptional: true,
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push(parse(Buffer.concat(chunks).toString("utf8")));
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
