/**
 * A signal of our own that aborts as soon as any of its parents does, with that parent's
 * reason, and that we can abort ourselves (a timeout). Not `AbortSignal.any`: in Node 20/22
 * every combined signal stays registered on a long-lived parent (a whole run's signal), one
 * entry per request (nodejs/node#55351); listeners removed by `dispose` leave nothing behind.
 */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
  /** Unhooks from the parents; call once the signal's work is over. */
  dispose(): void;
}

export function linkSignals(parents: readonly (AbortSignal | undefined)[]): LinkedSignal {
  const controller = new AbortController();
  const hooked: { parent: AbortSignal; onAbort: () => void }[] = [];
  for (const parent of parents) {
    if (!parent) continue;
    if (parent.aborted) {
      controller.abort(parent.reason);
      break;
    }
    const onAbort = () => controller.abort(parent.reason);
    parent.addEventListener('abort', onAbort, { once: true });
    hooked.push({ parent, onAbort });
  }
  return {
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    dispose: () => {
      for (const { parent, onAbort } of hooked) parent.removeEventListener('abort', onAbort);
    },
  };
}
