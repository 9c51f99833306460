/** `npm run report -- <args>` in the project, as a user runs it (the CLI bundle, its own process). */
import { spawn } from 'node:child_process';

export function npmReport(
  root: string,
  env: Record<string, string>,
  args: string[],
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn('npm', ['run', '--silent', 'report', '--', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr.on('data', (chunk) => {
    err += chunk;
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out, err })));
}
