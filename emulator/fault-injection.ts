/**
 * The middleware that plays the misbehaving proxy in front of the API: latency, the rate
 * limit, scripted faults (in order), then seeded random faults. It runs before auth and
 * validation, as a proxy would.
 */
import type { MiddlewareHandler } from 'hono';
import { respondWithFault } from './fault-responses';
import { type EndpointName, type Fault, type Faults, faultMatches } from './faults';
import type { Random } from './random';
import type { TokenBucket } from './rate-limiter';
import type { EmulatorStats } from './stats';

/** What the middleware reads and updates. */
export interface FaultInjectionState {
  faults: Faults;
  stats: EmulatorStats;
  random: Random;
  bucket: TokenBucket;
}

/** Fault injection for requests to `endpoint`. */
export function injectFaults(state: FaultInjectionState, endpoint: EndpointName): MiddlewareHandler {
  return async (c, next) => {
    if (state.faults.latencyMs > 0) await delay(state.faults.latencyMs, c.req.raw.signal);
    const fault = chooseFault(state, endpoint);
    if (!fault) return next();
    state.stats.faultsInjected++;
    return respondWithFault(c, next, fault);
  };
}

function chooseFault(state: FaultInjectionState, endpoint: EndpointName): Fault | undefined {
  const { faults } = state;
  if (!state.bucket.take(faults.maxRequestsPerSecond)) return { kind: 'rate-limit', retryAfter: '1' };
  const scripted = faults.script.findIndex((fault) => faultMatches(fault, endpoint));
  if (scripted >= 0) return faults.script.splice(scripted, 1)[0];
  const candidates = faults.random.filter((entry) => faultMatches(entry.fault, endpoint));
  if (candidates.length === 0) return undefined;
  // One draw per request; the probabilities stack, so 0.1 + 0.1 means 20% of requests fail.
  let draw = state.random.next();
  for (const candidate of candidates) {
    if (draw < candidate.probability) return candidate.fault;
    draw -= candidate.probability;
  }
  return undefined;
}

/** Waits `ms`, or less when the client gives up (so closing the emulator is not held up by timers). */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
