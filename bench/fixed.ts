/**
 * A fixed-concurrency client that does nothing but fetch and parse: the same pages our report
 * requests (the session listing, each session's first page, then its other pages by
 * `page_number`), with `concurrency` requests in flight whenever there is work, and no back-off
 * except the server's `Retry-After`. The benchmark uses it twice:
 * - at concurrency 16 as the floor: how fast this machine and emulator serve these pages at all;
 * - at a high concurrency against a requests-per-second cap, to show what adapting saves.
 * Run as its own process; prints one JSON line (`FixedResult`).
 *
 * Usage: node fixed.mjs <workspace> <concurrency>   (env DEEPSET_API_URL, DEEPSET_API_KEY)
 */

/** What the fixed-concurrency client prints. */
export interface FixedResult {
  files: number;
  requests: number;
  throttled: number;
  durationMs: number;
  maxRssBytes: number;
}

interface Page {
  data: { session_id?: string }[];
  has_more: boolean;
  total: number;
}

/** A page to fetch, and what to do with it. */
type Job = { url: string; onPage: (page: Page) => void };

async function main(): Promise<void> {
  const [workspace = 'demo', concurrency = '16'] = process.argv.slice(2);
  const base = `${process.env.DEEPSET_API_URL}/workspaces/${workspace}/upload_sessions`;
  const headers = { authorization: `Bearer ${process.env.DEEPSET_API_KEY}` };
  const counters = { requests: 0, throttled: 0, files: 0 };
  const queue: Job[] = [];
  const pageUrls = (url: string, total: number) =>
    Array.from({ length: Math.ceil(total / 100) - 1 }, (_, i) => `${url}?limit=100&page_number=${i + 2}`);
  const filesOf = (sessionId: string): Job => ({
    url: `${base}/${sessionId}/files?limit=100`,
    onPage: (first) => {
      counters.files += first.data.length;
      for (const url of pageUrls(`${base}/${sessionId}/files`, first.total))
        queue.push({ url, onPage: (page) => (counters.files += page.data.length) });
    },
  });
  const sessionsOf = (page: Page) => {
    for (const session of page.data) queue.push(filesOf(session.session_id ?? ''));
  };
  queue.push({
    url: `${base}?limit=100`,
    onPage: (first) => {
      sessionsOf(first);
      for (const url of pageUrls(base, first.total)) queue.push({ url, onPage: sessionsOf });
    },
  });
  const started = performance.now();
  await drain(queue, Number(concurrency), async (job) => job.onPage(await get(job.url, headers, counters)));
  const result: FixedResult = {
    files: counters.files,
    requests: counters.requests,
    throttled: counters.throttled,
    durationMs: Math.round(performance.now() - started),
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function get(
  url: string,
  headers: Record<string, string>,
  counters: { requests: number; throttled: number },
) {
  for (;;) {
    counters.requests++;
    const response = await fetch(url, { headers });
    if (response.ok) return JSON.parse(await response.text()) as Page;
    await response.arrayBuffer();
    if (response.status !== 429) throw new Error(`${url}: HTTP ${response.status}`);
    counters.throttled++;
    const seconds = Number(response.headers.get('retry-after') ?? 1);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }
}

/** Runs jobs (including ones added while running) with at most `size` at a time. */
async function drain(queue: Job[], size: number, run: (job: Job) => Promise<void>): Promise<void> {
  let running = 0;
  return new Promise((resolve, reject) => {
    const next = () => {
      if (queue.length === 0 && running === 0) return resolve();
      while (running < size && queue.length > 0) {
        const job = queue.shift()!;
        running++;
        run(job).then(() => {
          running--;
          next();
        }, reject);
      }
    };
    next();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`fixed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
