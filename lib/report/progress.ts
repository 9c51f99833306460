/** Live counters of a run, for progress bars and logs (requests and retries come from the client). */
export interface RunProgress {
  /** Known once the session listing is complete. */
  sessionsTotal: number | undefined;
  sessionsDone: number;
  /** File entries received from the API (a re-read session counts again). */
  filesFetched: number;
}

export function newProgress(): RunProgress {
  return { sessionsTotal: undefined, sessionsDone: 0, filesFetched: 0 };
}
