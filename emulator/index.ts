/**
 * The local emulator of the deepset upload-sessions API (both endpoints of spec/), with
 * deterministic data and fault knobs. Start it with `startEmulator`, or build the Hono app
 * with `createEmulatorApp`; the CLI is `npm run emulator`.
 */
export { createEmulatorApp, type EmulatorAppOptions } from './app';
export {
  countFiles,
  type Dataset,
  type DatasetOptions,
  type EmulatorFile,
  type EmulatorSession,
  generateDataset,
  touch,
} from './dataset';
export { createFaults, type EmulatorRequest, type Fault, type FaultKind, type Faults } from './faults';
export { NASTY_FILE_NAMES } from './names';
export { type EmulatorOptions, type RunningEmulator, startEmulator } from './server';
export { createStats, type EmulatorStats } from './stats';
