import { afterAll, beforeAll } from "bun:test";
import { type DeliveredMail, mailTransportSuite } from "@lucent/conformance";
import type { MailMessage } from "@lucent/core";
import { freePort } from "@lucent/test-utils";
import { type SmtpSink, startSmtpSink } from "../test/smtp-sink.ts";
import { functionMail, smtpMail } from "./mail-transport.ts";

const DEFAULT_FROM = "Lucent <noreply@example.com>";
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink({ refuse: (address) => address.endsWith("@refused.example.com") });
});
afterAll(() => sink.close());

mailTransportSuite("smtp", {
  make: () => smtpMail({ url: sink.url, from: DEFAULT_FROM }),
  delivered: () =>
    sink.mails.map(
      (m): DeliveredMail => ({
        recipients: m.recipients,
        from: m.from,
        subject: m.subject,
        text: m.text,
        ...(m.html === undefined ? {} : { html: m.html }),
        headerNames: m.headerNames,
      }),
    ),
  capabilities: { html: true, from: true },
  defaultFrom: DEFAULT_FROM,
  // Nothing listens on a free port: the relay is down.
  unreachable: () => smtpMail({ url: `smtp://127.0.0.1:${freePort()}`, from: DEFAULT_FROM }),
  refusedRecipient: "nobody@refused.example.com",
});

// A user function is the transport: what it was handed is what was delivered.
const handed: MailMessage[] = [];
mailTransportSuite("function", {
  make: () => functionMail(async (message) => void handed.push(message)),
  delivered: () =>
    handed.map((m) => ({
      recipients: [/<([^>]+)>\s*$/.exec(m.to)?.[1] ?? m.to.trim()],
      subject: m.subject,
      text: m.text,
      ...(m.from === undefined ? {} : { from: m.from }),
      ...(m.html === undefined ? {} : { html: m.html }),
    })),
  capabilities: { html: true, from: true },
});
