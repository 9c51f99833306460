/**
 * The script a user writes first, as the benchmark's baseline: plain `fetch`, one request at a
 * time, limit 100, page by page (sessions, then each session's files), counting files by
 * status. No retries, no concurrency. Run as its own process; prints one JSON line
 * (`NaiveResult`).
 *
 * Usage: node naive.mjs <workspace>   (env DEEPSET_API_URL, DEEPSET_API_KEY)
 */

/** What the naive script prints. */
export interface NaiveResult {
  sessions: number;
  files: number;
  byStatus: Record<string, number>;
  requests: number;
  durationMs: number;
  maxRssBytes: number;
  cpuMs: number;
}

interface Page<T> {
  data: T[];
  has_more: boolean;
}

async function main(): Promise<void> {
  const workspace = process.argv[2] ?? 'demo';
  const base = `${process.env.DEEPSET_API_URL}/workspaces/${workspace}/upload_sessions`;
  const headers = { authorization: `Bearer ${process.env.DEEPSET_API_KEY}` };
  let requests = 0;
  const getAll = async <T>(url: string): Promise<T[]> => {
    const all: T[] = [];
    for (let page = 1; ; page++) {
      requests++;
      const response = await fetch(`${url}?limit=100&page_number=${page}`, { headers });
      if (!response.ok) throw new Error(`${url} page ${page}: HTTP ${response.status}`);
      const body = (await response.json()) as Page<T>;
      all.push(...body.data);
      if (!body.has_more) return all;
    }
  };
  const started = performance.now();
  const sessions = await getAll<{ session_id: string }>(base);
  const byStatus: Record<string, number> = {};
  let files = 0;
  for (const session of sessions) {
    for (const file of await getAll<{ ingestion_status: string }>(`${base}/${session.session_id}/files`)) {
      byStatus[file.ingestion_status] = (byStatus[file.ingestion_status] ?? 0) + 1;
      files++;
    }
  }
  const result: NaiveResult = {
    sessions: sessions.length,
    files,
    byStatus,
    requests,
    durationMs: Math.round(performance.now() - started),
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`naive: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
