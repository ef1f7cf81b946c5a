/** The default mail transport: each mail is written to the log instead of being sent. */
import type { MailTransport } from "./drivers.ts";
import type { Logger } from "./logger.ts";

export function consoleMail(logger: Logger): MailTransport {
  return {
    name: "console",
    async send(message) {
      logger.info(
        { mail: { to: message.to, subject: message.subject, text: message.text } },
        "mail (console transport)",
      );
    },
  };
}
