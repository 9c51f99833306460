/**
 * A signal that aborts shortly before the Lambda timeout. A run the platform kills mid-way
 * leaves no logs or metrics of the workspaces that did finish; stopping first lets the handler
 * record them, mark the rest as DEADLINE, and fail the invocation cleanly.
 */

/** How long before the timeout to stop: a minute, or a tenth of the time left when that is short. */
export function stopMarginMs(remainingMs: number): number {
  return Math.min(60_000, Math.floor(remainingMs / 10));
}

/** Aborts `stopMarginMs` before the invocation's time runs out; none without a Lambda context. */
export function deadlineSignal(context?: { getRemainingTimeInMillis(): number }): AbortSignal | undefined {
  if (!context) return undefined;
  const remaining = context.getRemainingTimeInMillis();
  return AbortSignal.timeout(Math.max(0, remaining - stopMarginMs(remaining)));
}
