/** Request counters, for tests and benchmarks to assert how a client used the API. */
export interface EmulatorStats {
  /** Every request that reached the emulator. */
  requests: number;
  /** Requests to `GET .../upload_sessions`. */
  sessionsRequests: number;
  /** Requests to `GET .../upload_sessions/{id}/files`. */
  filesRequests: number;
  /** Requests answered by a fault (including the rate limit and vanished sessions). */
  faultsInjected: number;
}

/** All counters at zero. */
export function createStats(): EmulatorStats {
  return { requests: 0, sessionsRequests: 0, filesRequests: 0, faultsInjected: 0 };
}
