/**
 * Redocly CLI (the pinned devDependency) linting a document with the repo's redocly.yaml, as a
 * separate process, the way anyone would run it. Telemetry and the update check are off: a test
 * run must not call out.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REDOCLY = join(ROOT, 'node_modules', '.bin', 'redocly');

/**
 * The warnings accepted, each with why (by sign-in mode, rule and place); any other warning
 * fails the lint tests. None today: keep it at most 2.
 */
export const EXPLAINED_WARNINGS: { mode: string; ruleId: string; pointer: string; reason: string }[] = [];
export const MAX_WARNINGS = 2;

export interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  pointer: string;
}

/** The problems Redocly's lint finds in `doc`, with redocly.yaml (the recommended rules and our overrides). */
export async function lintDocument(doc: unknown): Promise<LintProblem[]> {
  const dir = await mkdtemp(join(tmpdir(), 'openapi-lint-'));
  try {
    const file = join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(doc, null, 2));
    const args = ['lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format', 'json'];
    // Redocly exits 1 when it finds errors; its JSON report on stdout says which.
    const { stdout } = await promisify(execFile)(REDOCLY, args, {
      cwd: dir,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string }) => {
      if (error.stdout?.trim().startsWith('{')) return { stdout: error.stdout };
      throw new Error(`redocly lint failed to run: ${error.stderr ?? String(error)}`);
    });
    const report = JSON.parse(stdout) as {
      problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
    };
    return report.problems.map((problem) => ({
      ruleId: problem.ruleId,
      severity: problem.severity === 'error' ? 'error' : 'warn',
      message: problem.message,
      pointer: problem.location[0]?.pointer ?? '',
    }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The problems that fail a lint test in `mode`: every error, and every warning not explained above. */
export function unexplained(mode: string, problems: LintProblem[]): LintProblem[] {
  return problems.filter(
    (problem) =>
      problem.severity === 'error' ||
      !EXPLAINED_WARNINGS.some(
        (known) =>
          known.mode === mode && known.ruleId === problem.ruleId && known.pointer === problem.pointer,
      ),
  );
}
