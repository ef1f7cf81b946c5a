/**
 * The rules every mail transport keeps, run by each transport's own tests,
 * which say where its mail lands (an SMTP sink, the log):
 * `mailTransportSuite("console", { make, delivered, capabilities })`.
 * Auth hands a transport its mails (verification and reset links, notices),
 * from a job that retries what fails. Each test below is named after the
 * rule it checks.
 *
 * 1. Handed over on resolve. `send` resolves once the mail has been handed
 *    over (the relay accepted it, the log line is written), never before: a
 *    completed mail job is a sent mail.
 * 2. To `to`, and to no one else. The mail goes to the one address in `to`
 *    (`ada@example.com` or `Ada <ada@example.com>`) and to nobody beside it.
 * 3. A `to` that is not one address is refused. Several addresses
 *    (`a@x, b@y`) or a line break (`a@x\r\nBcc: b@y`, which SMTP reads as a
 *    group mailing b@y alone) make `send` reject, and nothing is sent (core's
 *    `assertOneMailbox` is the check).
 * 4. Subject and text arrive as written: non-ASCII (`Grüße 🎉`), a long
 *    subject, a 2,000-character line (a link), lines that begin with a dot,
 *    line breaks (CRLF and LF may stand for each other; a trailing line break
 *    may be added).
 * 5. A line break in the subject never adds a header or a recipient (the
 *    transport may fold it into one line, or refuse the mail).
 * 6. html (capability `html`). Given, it arrives as the html alternative beside
 *    the text; not given, the mail is text only. The console shows the text,
 *    which carries the same links.
 * 7. from (capability `from`). `from` is the sender, display name included;
 *    without it, the transport's default sender.
 * 8. Failure is an error. A mail the transport could not hand over (its relay
 *    unreachable, or refusing the recipient) makes `send` reject, so the mail
 *    job tries again; it never resolves as if sent.
 * 9. Sends may overlap: each of them arrives once.
 * 10. Lifecycle. Creating a transport connects to nothing (an app starts
 *    while its relay is down), and `stop`, when present, resolves whether the
 *    transport sent anything or not.
 */
import { afterEach, describe, expect, test } from "bun:test";
// Core's own tests run this suite: it reads the contract from core's source (see jobs.ts).
import type { MailMessage, MailTransport } from "../../../packages/core/src/drivers/drivers.ts";
import { uniqueName } from "./unique-name.ts";

/** A mail as its reader got it. */
export interface DeliveredMail {
  /** The bare addresses it was sent to (SMTP's envelope recipients; the log's `to`). */
  recipients: string[];
  subject: string;
  text: string;
  /** The sender as the reader sees it, display name included; absent when not shown. */
  from?: string;
  html?: string;
  /** The names of its headers, lower-case; absent when the mail has none (the log). */
  headerNames?: string[];
}

export interface MailTransportSuiteOptions {
  /** A new transport. */
  make: () => MailTransport | Promise<MailTransport>;
  /** Everything the transports from `make` delivered so far, oldest first. */
  delivered: () => DeliveredMail[] | Promise<DeliveredMail[]>;
  /** What reaches the reader beside recipients, subject and text (rules 6 and 7). */
  capabilities: { html: boolean; from: boolean };
  /** The sender of a mail without `from` (rule 7, with `capabilities.from`). */
  defaultFrom?: string;
  /** A transport whose relay is down (rules 8 and 10); absent for one that cannot fail. */
  unreachable?: () => MailTransport | Promise<MailTransport>;
  /** An address the relay refuses (rule 8). */
  refusedRecipient?: string;
}

/** CRLF and LF stand for each other, and a trailing line break may be added (rule 4). */
const lines = (text: string) => text.replace(/\r\n/g, "\n").trimEnd();

export function mailTransportSuite(name: string, options: MailTransportSuiteOptions) {
  describe(`mail transport: ${name}`, () => {
    let made: MailTransport[] = [];
    afterEach(async () => {
      await Promise.all(made.map((t) => t.stop?.()));
      made = [];
    });
    const transport = async () => {
      const t = await options.make();
      made.push(t);
      return t;
    };
    const address = (what: string) => `${uniqueName(what)}@example.com`;
    /** Mails delivered to any of `addresses`. */
    const deliveredTo = async (...addresses: string[]) =>
      (await options.delivered()).filter((m) => m.recipients.some((r) => addresses.includes(r)));
    const message = (to: string, rest: Partial<MailMessage> = {}): MailMessage => ({
      to,
      subject: "Hello",
      text: "Hello there",
      ...rest,
    });

    test("(1) once send resolves, the mail has been delivered", async () => {
      const t = await transport();
      const to = address("handed");
      await t.send(message(to, { subject: "Handed over" }));
      const mails = await deliveredTo(to);
      expect(mails.map((m) => m.subject)).toEqual(["Handed over"]);
    });

    test("(2) the mail goes to the address in to, given bare or with a name, and to no one else", async () => {
      const t = await transport();
      const bare = address("bare");
      const named = address("named");
      await t.send(message(bare, { subject: "Bare" }));
      await t.send(message(`Ada Lovelace <${named}>`, { subject: "Named" }));
      expect((await deliveredTo(bare)).map((m) => m.recipients)).toEqual([[bare]]);
      expect((await deliveredTo(named)).map((m) => m.recipients)).toEqual([[named]]);
    });

    test("(3) a to holding several addresses or a line break is refused and nothing is sent", async () => {
      const t = await transport();
      const [a, b] = [address("first"), address("second")];
      for (const to of [`${a}, ${b}`, `${a};${b}`, `${a}\r\nBcc: ${b}`, `${a}\nBcc: ${b}`]) {
        const refused = await t.send(message(to)).then(
          () => false,
          (error: unknown) => error instanceof Error,
        );
        expect(refused).toBe(true);
      }
      expect(await deliveredTo(a, b)).toEqual([]);
    });

    test("(4) subject and text arrive as written: Unicode, long lines, leading dots, line breaks", async () => {
      const t = await transport();
      const to = address("text");
      const subject = `Grüße 🎉 ${"a long subject ".repeat(12)}end`;
      const link = `https://app.example.com/reset-password?token=${"x".repeat(2000)}`;
      const text = `Hello Ada,\n\n.\n.a line that begins with a dot\n${link}\r\nÜnïcødé ✓ 🎉\n\nthe end`;
      await t.send(message(to, { subject, text }));
      const [mail] = await deliveredTo(to);
      expect(mail?.subject).toBe(subject);
      expect(lines(mail?.text ?? "")).toBe(lines(text));
    });

    test("(5) a line break in the subject adds no header and no recipient", async () => {
      const t = await transport();
      const [to, hidden] = [address("subject"), address("hidden")];
      const sent = await t
        .send(message(to, { subject: `Hi\r\nBcc: ${hidden}\r\nX-Injected: yes` }))
        .then(
          () => true,
          () => false,
        );
      expect(await deliveredTo(hidden)).toEqual([]);
      if (!sent) return;
      const [mail] = await deliveredTo(to);
      expect(mail?.recipients).toEqual([to]);
      expect(mail?.headerNames ?? []).not.toContain("x-injected");
      expect(mail?.headerNames ?? []).not.toContain("bcc");
    });

    test.skipIf(!options.capabilities.html)(
      "(6) html arrives as the html alternative beside the text, and a mail without it is text only",
      async () => {
        const t = await transport();
        const [rich, plain] = [address("rich"), address("plain")];
        const html = `<p>Grüße, <a href="https://app.example.com/verify?token=abc">verify</a></p>`;
        await t.send(
          message(rich, { text: "verify: https://app.example.com/verify?token=abc", html }),
        );
        await t.send(message(plain));
        const [richMail] = await deliveredTo(rich);
        const [plainMail] = await deliveredTo(plain);
        expect(lines(richMail?.html ?? "")).toBe(html);
        expect(lines(richMail?.text ?? "")).toBe(
          "verify: https://app.example.com/verify?token=abc",
        );
        expect(plainMail?.html).toBeUndefined();
        expect(lines(plainMail?.text ?? "")).toBe("Hello there");
      },
    );

    test.skipIf(!options.capabilities.from)(
      "(7) from is the sender, display name included, and without it the default sender",
      async () => {
        const t = await transport();
        const [given, fallback] = [address("from"), address("default")];
        const from = `Grüße Team <${address("team")}>`;
        await t.send(message(given, { from }));
        await t.send(message(fallback));
        expect((await deliveredTo(given))[0]?.from).toBe(from);
        if (options.defaultFrom !== undefined) {
          expect((await deliveredTo(fallback))[0]?.from).toBe(options.defaultFrom);
        }
      },
    );

    test.skipIf(!options.unreachable && !options.refusedRecipient)(
      "(8) a mail that could not be handed over makes send reject",
      async () => {
        const failed = (t: MailTransport, to: string) =>
          t.send(message(to)).then(
            () => false,
            (error: unknown) => error instanceof Error,
          );
        if (options.unreachable) {
          const t = await options.unreachable();
          made.push(t);
          expect(await failed(t, address("unreachable"))).toBe(true);
        }
        if (options.refusedRecipient) {
          expect(await failed(await transport(), options.refusedRecipient)).toBe(true);
        }
      },
    );

    test("(9) overlapping sends each arrive once", async () => {
      const t = await transport();
      const to = address("overlap");
      const subjects = Array.from({ length: 20 }, (_, i) => `Mail ${i}`);
      await Promise.all(subjects.map((subject) => t.send(message(to, { subject }))));
      const got = (await deliveredTo(to)).map((m) => m.subject).sort();
      expect(got).toEqual([...subjects].sort());
    });

    test("(10) a transport is created without connecting, and stop resolves used or not", async () => {
      // A relay that is down must not stop the transport being created, nor stopped.
      const idle = await (options.unreachable ?? options.make)();
      await idle.stop?.();
      const used = await options.make();
      await used.send(message(address("stop")));
      await used.stop?.();
    });
  });
}
