/**
 * One attempt: check the target, sign the body by the Standard Webhooks
 * scheme (signed afresh, so `webhook-timestamp` is the attempt's time) and
 * POST it to the checked address. Redirects are not followed: a 3xx is a
 * failed attempt, so a public endpoint cannot bounce the request inward.
 */
import { Webhook } from "standardwebhooks";
import { resolveTarget, type TargetPolicy } from "./target.ts";

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface SendInput {
  url: string;
  secret: string;
  messageId: string;
  body: string;
  timeoutMs: number;
  policy: TargetPolicy;
}

// Enough of a response to show an admin why it failed; the rest is not read.
const MAX_ERROR_BODY = 300;

async function responseText(res: Response): Promise<string> {
  try {
    const text = (await res.text()).slice(0, MAX_ERROR_BODY);
    return text ? `: ${text}` : "";
  } catch {
    return "";
  }
}

export async function sendAttempt(input: SendInput): Promise<AttemptResult> {
  const started = performance.now();
  const done = (ok: boolean, statusCode: number | null, error: string | null): AttemptResult => ({
    ok,
    statusCode,
    error,
    durationMs: Math.round(performance.now() - started),
  });
  let target: Awaited<ReturnType<typeof resolveTarget>>;
  try {
    target = await resolveTarget(input.url, input.policy);
  } catch (error) {
    return done(false, null, `target refused: ${(error as Error).message}`);
  }
  const timestamp = new Date();
  const signature = new Webhook(input.secret).sign(input.messageId, timestamp, input.body);
  try {
    const res = await fetch(target.connectUrl, {
      method: "POST",
      headers: {
        host: target.host,
        "content-type": "application/json",
        "user-agent": "lucent-webhooks",
        "webhook-id": input.messageId,
        "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
        "webhook-signature": signature,
      },
      body: input.body,
      redirect: "manual",
      signal: AbortSignal.timeout(input.timeoutMs),
      // The certificate is checked against the endpoint's name, not the address connected to.
      tls: { serverName: target.hostname },
    });
    if (res.status >= 200 && res.status < 300) {
      await res.body?.cancel();
      return done(true, res.status, null);
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      return done(
        false,
        res.status,
        `redirect to ${res.headers.get("location") ?? "?"} not followed`,
      );
    }
    return done(false, res.status, `HTTP ${res.status}${await responseText(res)}`);
  } catch (error) {
    const err = error as Error;
    const timedOut = err.name === "TimeoutError" || err.name === "AbortError";
    return done(false, null, timedOut ? `timed out after ${input.timeoutMs} ms` : err.message);
  }
}
