/** The four mails and their default plain-text templates; each can be replaced in `mail.templates`. */
import type { Doc } from "@lucent/core";

export interface MailContent {
  subject: string;
  text: string;
  html?: string;
}

export interface MailTemplateInput {
  /** The user as stored (no password). */
  user: Doc;
  /** The address the mail goes to (for `emailChanged`, the old address; `user.email` is the new one). */
  email: string;
  /** The front end's origin (`appUrl`). */
  appUrl: string;
  /** A link carrying the token (verify and forgot only). */
  link?: string;
  /** The raw token, for templates that build their own link (verify and forgot only). */
  token?: string;
}

export type MailTemplate = (input: MailTemplateInput) => MailContent | Promise<MailContent>;

export interface MailTemplates {
  welcome: MailTemplate;
  verify: MailTemplate;
  forgot: MailTemplate;
  resetSuccess: MailTemplate;
  /** To the old address, when the account's address changed. */
  emailChanged: MailTemplate;
}

export type MailKind = keyof MailTemplates;

export const defaultTemplates: MailTemplates = {
  welcome: ({ appUrl }) => ({
    subject: "Welcome",
    text: `Your account is ready. Sign in at ${appUrl}.`,
  }),
  verify: ({ link }) => ({
    subject: "Confirm your email address",
    text: `Confirm your email address by opening this link:\n\n${link}\n\nThe link works once and expires in 24 hours. If you did not sign up, ignore this mail.`,
  }),
  forgot: ({ link }) => ({
    subject: "Reset your password",
    text: `Someone asked to reset the password of this account. To choose a new one, open:\n\n${link}\n\nThe link works once and expires in one hour. If it was not you, ignore this mail: your password stays as it is.`,
  }),
  resetSuccess: ({ appUrl }) => ({
    subject: "Your password was changed",
    text: `The password of your account was just reset, and every other session was signed out. If it was not you, reset it again at ${appUrl} and contact us.`,
  }),
  emailChanged: ({ email, user }) => ({
    subject: "Your email address was changed",
    text: `The email address of your account was changed from ${email} to ${String(user.email)}. Mail about the account, password resets included, now goes to the new address. If it was not you, contact us at once.`,
  }),
};

/** The link a mail carries: `<appUrl>/verify-email?token=…` or `<appUrl>/reset-password?token=…`. */
export function tokenLink(appUrl: string, kind: "verify" | "forgot", token: string): string {
  const path = kind === "verify" ? "verify-email" : "reset-password";
  return `${appUrl}/${path}?token=${encodeURIComponent(token)}`;
}
