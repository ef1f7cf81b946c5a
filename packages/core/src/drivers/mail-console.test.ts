import { type DeliveredMail, mailTransportSuite } from "@lucent/conformance";
import { createLogger } from "../kernel/logger.ts";
import { consoleMail } from "./mail-console.ts";

// The console delivers to the log: what a developer reads there is the mail.
const delivered: DeliveredMail[] = [];
const logger = createLogger({
  level: "info",
  destination: {
    write(line: string) {
      const { mail } = JSON.parse(line) as { mail?: { to: string; subject: string; text: string } };
      if (!mail) return;
      const address = /<([^>]+)>\s*$/.exec(mail.to)?.[1] ?? mail.to.trim();
      delivered.push({ recipients: [address], subject: mail.subject, text: mail.text });
    },
  },
});

mailTransportSuite("console", {
  make: () => consoleMail(logger),
  delivered: () => delivered,
  capabilities: { html: false, from: false },
});
