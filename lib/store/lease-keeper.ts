/**
 * Keeps a held lease alive while its holder works, and says when it is lost: a refresh found
 * it taken over (the holder stalled past the expiry and another took it), or refreshes kept
 * failing until the lease would expire before the next try. Either way the holder no longer
 * has the place to itself and must stop, before it writes anything another holder would see.
 */
import type { HeldLease } from './lease';

/** Why the lease was lost. */
export type LeaseLoss = 'taken' | 'expiring';

export interface KeepLeaseOptions {
  /** How often to refresh; a third of the lease's TTL leaves two more tries before it expires. */
  intervalMs: number;
  /** Called once, at the loss. */
  onLost(why: LeaseLoss): void;
  now?: () => Date;
}

/** Starts refreshing `lease` every `intervalMs`; returns the function that stops it. */
export function keepLease(lease: HeldLease, options: KeepLeaseOptions): () => void {
  const now = options.now ?? (() => new Date());
  let refreshing = false;
  let lost = false;
  const lose = (why: LeaseLoss) => {
    if (lost) return;
    lost = true;
    clearInterval(timer);
    options.onLost(why);
  };
  // A refresh that failed (or hangs) is tried again at the next tick, while one is left.
  const expiresBeforeNextTry = () => lease.expiresAt.getTime() - now().getTime() <= options.intervalMs;
  const tick = async () => {
    if (refreshing) {
      if (expiresBeforeNextTry()) lose('expiring');
      return;
    }
    refreshing = true;
    try {
      if (!(await lease.refresh())) lose('taken');
    } catch {
      if (expiresBeforeNextTry()) lose('expiring');
    } finally {
      refreshing = false;
    }
  };
  const timer = setInterval(() => void tick(), options.intervalMs);
  timer.unref();
  return () => {
    lost = true;
    clearInterval(timer);
  };
}
