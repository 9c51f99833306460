/**
 * The fault knobs: a mutable object that tests change between requests. Faults act like a
 * proxy in front of the API (before auth and validation); `onRequest` is the exception, it
 * runs just before the real answer is computed.
 */

/** What can go wrong on the way to the API. */
export type FaultKind = 'rate-limit' | 'server-error' | 'hang' | 'truncate' | 'invalid-json' | 'reset';

/** Which endpoint a request went to. */
export type EndpointName = 'sessions' | 'files';

/** One injected fault. */
export interface Fault {
  kind: FaultKind;
  /** Only requests to this endpoint; both when absent. */
  endpoint?: EndpointName;
  /** server-error: 500, 502, 503 or 504 (default 503). */
  status?: number;
  /** An HTML body like a proxy's, for rate-limit and server-error. */
  html?: boolean;
  /** rate-limit: the Retry-After header, seconds or an HTTP date (default '1'). */
  retryAfter?: string;
}

/** What `onRequest` is told about a request that passed auth and validation. */
export interface EmulatorRequest {
  endpoint: EndpointName;
  workspace: string;
  sessionId?: string;
  query: Record<string, string>;
}

/** The knobs. */
export interface Faults {
  /** Added before every answer. */
  latencyMs: number;
  /** Consumed in order: each request takes the first entry that matches its endpoint. Before random faults. */
  script: Fault[];
  /** Each request draws once from the seeded RNG (`faultSeed`); probabilities add up. */
  random: { fault: Fault; probability: number }[];
  /** Beyond it: 429 with Retry-After: 1 (a token bucket holding one second's worth). */
  maxRequestsPerSecond?: number;
  /** Listed in sessions, but their files answer 404. */
  vanishedSessions: Set<string>;
  /** Schema drift: omit this field from every entry. */
  dropField?: { endpoint: EndpointName; field: string };
  /** Add unknown fields to entries and the envelope. */
  extraFields: boolean;
  /** Lets a test mutate data between pages (call `touch` after mutating). */
  onRequest?: (request: EmulatorRequest) => void | Promise<void>;
}

/** Knobs with nothing injected, overridden by `partial`. */
export function createFaults(partial: Partial<Faults> = {}): Faults {
  return {
    latencyMs: 0,
    script: [],
    random: [],
    vanishedSessions: new Set(),
    extraFields: false,
    ...partial,
  };
}

/** Whether `fault` applies to a request to `endpoint`. */
export function faultMatches(fault: Fault, endpoint: EndpointName): boolean {
  return fault.endpoint === undefined || fault.endpoint === endpoint;
}
