export type { AuthApi } from "./api.ts";
export type { ApiKeyInfo } from "./api-keys.ts";
export type { AccessClaims } from "./jwt.ts";
export type {
  MailContent,
  MailKind,
  MailTemplate,
  MailTemplateInput,
  MailTemplates,
} from "./mail-templates.ts";
export { defaultTemplates } from "./mail-templates.ts";
export { functionMail, smtpMail } from "./mail-transport.ts";
export { MAIL_JOB } from "./mailer.ts";
export { auth } from "./module.ts";
export type {
  AuthOptions,
  MailFunction,
  MailOptions,
  OAuthEndpoints,
  OAuthOptions,
  OAuthProviderOptions,
  OidcProviderOptions,
  Strategy,
} from "./options.ts";
export { authOptionsSchema } from "./options.ts";
export { SESSION_COOKIE } from "./sessions.ts";
export type { TokenPair } from "./sign-in.ts";
export { authTables, TABLES } from "./tables.ts";
