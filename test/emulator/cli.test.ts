import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CliUsageError, parseCliOptions } from '../../emulator/cli-options';

describe('parseCliOptions', () => {
  it('defaults: port 8787 on 127.0.0.1, workspace demo, no faults', () => {
    const options = parseCliOptions([]);
    expect(options.emulator).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      workspace: 'demo',
      sessions: 40,
    });
    expect(options.emulator.faults).toMatchObject({ latencyMs: 0, random: [] });
    expect(options.vanish).toBe(0);
  });

  it('turns fault flags into knobs', () => {
    const argv = [
      '--rate-429',
      '0.1',
      '--rate-5xx',
      '0.3',
      '--html-errors',
      '--retry-after',
      '5',
      '--max-rps',
      '20',
    ];
    const { emulator } = parseCliOptions([...argv, '--latency', '15', '--unknown-enums']);
    expect(emulator.faults?.random?.[0]).toEqual({
      fault: { kind: 'rate-limit', html: true, retryAfter: '5' },
      probability: 0.1,
    });
    expect(emulator.faults?.random?.filter((r) => r.fault.kind === 'server-error')).toHaveLength(3);
    expect(emulator.faults).toMatchObject({ latencyMs: 15, maxRequestsPerSecond: 20 });
    expect(emulator.unknownEnums).toBe(true);
  });

  it('rejects bad values with one line naming the flag, never showing the key', () => {
    const cases: [string[], RegExp][] = [
      [['--port', '70000'], /^--port must be an integer from 0 to 65535 \(got "70000"\)$/],
      [['--rate-hang', 'often'], /^--rate-hang must be a probability/],
      [['--rate-429', '0.7', '--rate-5xx', '0.7'], /add up to 1\.4/],
      [['--retry-after', 'later'], /^--retry-after must be/],
      [['--nope'], /--nope/],
    ];
    for (const [argv, message] of cases) {
      expect(() => parseCliOptions(argv)).toThrow(CliUsageError);
      expect(() => parseCliOptions(argv)).toThrow(message);
    }
    expect(() => parseCliOptions(['--api-key', ' '])).toThrow(/^--api-key must be a non-empty key$/);
  });
});

/** Collects a child's output until `pattern` appears (or it exits). */
async function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in: ${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(output);
    });
  });
}

describe.concurrent('npm run emulator', () => {
  it('prints where it listens (port 0 = the real port), serves, and stops on SIGINT', async () => {
    const argv = [
      '--import',
      'tsx',
      'emulator/main.ts',
      '--port',
      '0',
      '--sessions',
      '4',
      '--max-files',
      '30',
    ];
    const child = spawn(process.execPath, [...argv, '--api-key', 'cli-secret-key'], { stdio: 'pipe' });
    try {
      const output = await waitForOutput(child, /Auth: .*\n/);
      const match =
        /Emulator listening on (http:\/\/127\.0\.0\.1:(\d+)\/api\/v1) \(workspace demo: 4 sessions, \d+ files\)/.exec(
          output,
        );
      expect(match).not.toBeNull();
      expect(Number(match![2])).toBeGreaterThan(0);
      expect(output).not.toContain('cli-secret-key');
      const response = await fetch(`${match![1]}/workspaces/demo/upload_sessions`, {
        headers: { authorization: 'Bearer cli-secret-key' },
      });
      expect(((await response.json()) as { total: number }).total).toBe(4);
      child.kill('SIGINT');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('exits 2 with one line for a bad flag value', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/main.ts', '--sessions', 'many'], {
      stdio: 'pipe',
    });
    const output = await waitForOutput(child, /\n$/);
    const [code] = child.exitCode === null ? await once(child, 'exit') : [child.exitCode];
    expect(code).toBe(2);
    expect(output.trim()).toBe('emulator: --sessions must be an integer from 0 to 100000 (got "many")');
  });
});
