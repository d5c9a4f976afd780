/**
 * An SQS message's body as JSON; `undefined` for a body that is not JSON, which the check of
 * its shape then refuses, so the caller has one refusal to report.
 */
export function bodyJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
