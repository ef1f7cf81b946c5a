/**
 * The default mail transport: each mail is written to the log instead of
 * being sent (to, subject and text: the text carries the same links as any
 * html). It refuses what SMTP would misroute, so development finds it first.
 */

import type { Logger } from "../kernel/logger.ts";
import type { MailTransport } from "./drivers.ts";
import { assertOneMailbox } from "./mail-address.ts";

export function consoleMail(logger: Logger): MailTransport {
  return {
    name: "console",
    async send(message) {
      assertOneMailbox(message.to);
      logger.info(
        { mail: { to: message.to, subject: message.subject, text: message.text } },
        "mail (console transport)",
      );
    },
  };
}
