/**
 * The emulator as the benchmark runs it: in its own process (so its CPU and memory are not
 * counted as ours), controlled over stdin/stdout with one JSON object per line.
 *
 * - argv[2]: `EmulatorOptions` as JSON (sessions, maxFiles, seed, faults...).
 * - Prints `{"url", "sessions": [{ "files", "failed", "pending" }]}` once listening: the served dataset's
 *   sizes, from which the benchmark computes the minimum number of requests.
 * - Reads commands: `{"faults": {...}}` changes fault knobs (latency, max requests per second)
 *   and answers `{"ok": true}`; `{"stats": true}` answers the emulator's request counters and
 *   resets them; `{"night": {"seed"}}` moves the data one night forward (advanceNight) and
 *   answers what the night changed.
 */
import { createInterface } from 'node:readline';
import { advanceNight } from '../emulator/advance-night';
import { type EmulatorOptions, startEmulator } from '../emulator/server';
import { createStats } from '../emulator/stats';

/** A command line of the protocol. */
export type EmulatorCommand =
  | { faults: { latencyMs?: number; maxRequestsPerSecond?: number } }
  | { stats: true }
  | { night: { seed: number } };

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as EmulatorOptions;
  const emulator = await startEmulator({ ...options, port: 0 });
  const sessions = [...emulator.dataset.workspaces.values()][0] ?? [];
  const count = (files: { ingestion_status: string }[], status: string) =>
    files.filter((file) => file.ingestion_status === status).length;
  const sizes = sessions.map((session) => ({
    files: session.files.length,
    failed: count(session.files, 'FAILED'),
    pending: count(session.files, 'PENDING'),
  }));
  reply({ url: emulator.url, sessions: sizes });
  for await (const line of createInterface({ input: process.stdin })) {
    const command = JSON.parse(line) as EmulatorCommand;
    if ('faults' in command) {
      const { latencyMs, maxRequestsPerSecond } = command.faults;
      if (latencyMs !== undefined) emulator.faults.latencyMs = latencyMs;
      emulator.faults.maxRequestsPerSecond = maxRequestsPerSecond;
      reply({ ok: true });
    } else if ('night' in command) {
      reply(advanceNight(emulator.dataset, { seed: command.night.seed }));
    } else {
      reply({ ...emulator.stats });
      Object.assign(emulator.stats, createStats());
    }
  }
  // stdin closed: the benchmark is done with us.
  await emulator.close();
}

function reply(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator-child: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
