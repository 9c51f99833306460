/**
 * `npm run emulator -- --port N`: serves the emulated upload-sessions API until Ctrl-C.
 * Prints where it listens and what data it holds; never prints the API key.
 */
import { advanceNight } from './advance-night';
import { CliUsageError, parseCliOptions, USAGE } from './cli-options';
import { countFiles } from './dataset';
import { type RunningEmulator, startEmulator } from './server';

async function main(): Promise<void> {
  const options = parseCliOptions(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const emulator = await startEmulator(options.emulator);
  const workspace = options.emulator.workspace ?? 'demo';
  for (let night = 1; night <= options.nights; night++) {
    advanceNight(emulator.dataset, { seed: (options.emulator.seed ?? 1) + night, workspace });
  }
  const sessions = emulator.dataset.workspaces.get(workspace) ?? [];
  for (const session of sessions.slice(0, options.vanish))
    emulator.faults.vanishedSessions.add(session.session_id);
  console.log(
    `Emulator listening on ${emulator.url} (workspace ${workspace}: ${sessions.length} sessions, ${countFiles(sessions)} files)`,
  );
  console.log(
    options.emulator.apiKey ? 'Auth: only the --api-key value is accepted' : 'Auth: any non-empty bearer key',
  );
  closeOnSignals(emulator);
}

function closeOnSignals(emulator: RunningEmulator): void {
  const stop = () => {
    emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof CliUsageError) {
    console.error(`emulator: ${error.message}`);
    process.exit(2);
  }
  console.error(`emulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
