/**
 * The embedded default: with no API URL and no key configured, reports run against the local
 * emulator (workspace `demo`), started in-process on a free port. The emulator is loaded only
 * then: a run against a real API never loads it.
 */

export const EMBEDDED_WORKSPACE = 'demo';

export interface EmbeddedApi {
  url: string;
  /** Not a secret: the emulator accepts any non-empty key unless started with one. */
  apiKey: string;
  close(): Promise<void>;
}

export async function startEmbeddedApi(): Promise<EmbeddedApi> {
  const { startEmulator } = await import('../../emulator/server');
  const emulator = await startEmulator({ port: 0, workspace: EMBEDDED_WORKSPACE });
  return { url: emulator.url, apiKey: 'embedded-emulator', close: () => emulator.close() };
}
