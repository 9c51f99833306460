import { describe, expect, it } from 'vitest';
import { type EmulatorSession, generateDataset } from '../../emulator/dataset';
import { NASTY_FILE_NAMES } from '../../emulator/names';
import { FAILURE_REASONS, WRITE_MODES } from '../../lib/api/enums';
import { micros, NOW } from './helpers';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$/;

const dataset = generateDataset({ seed: 21, sessions: 40, maxFiles: 1200, now: NOW });
const sessions: EmulatorSession[] = dataset.workspaces.get('demo')!;
const files = sessions.flatMap((s) => s.files);

describe('determinism', () => {
  it('same seed, same data; another seed, other data', () => {
    const again = generateDataset({ seed: 21, sessions: 40, maxFiles: 1200, now: NOW });
    expect(JSON.stringify([...again.workspaces])).toBe(JSON.stringify([...dataset.workspaces]));
    const other = generateDataset({ seed: 22, sessions: 40, maxFiles: 1200, now: NOW });
    expect(other.workspaces.get('demo')![0]!.session_id).not.toBe(sessions[0]!.session_id);
  });

  it('uses the workspace name it is given and starts at version 1', () => {
    const named = generateDataset({ workspace: 'acme', sessions: 2, maxFiles: 3, now: NOW });
    expect([...named.workspaces.keys()]).toEqual(['acme']);
    expect(named.version).toBe(1);
  });
});

describe('sizes', () => {
  it('has sessions with 0, 1..99, exactly 100 and 101, and maxFiles files', () => {
    const counts = sessions.map((s) => s.files.length);
    expect(counts).toContain(0);
    expect(counts).toContain(100);
    expect(counts).toContain(101);
    expect(counts).toContain(1200);
    expect(counts.some((n) => n > 0 && n < 100)).toBe(true);
    expect(Math.max(...counts)).toBe(1200);
  });

  it('defaults to 40 sessions, one of them with 3000 files', () => {
    const defaults = generateDataset({ now: NOW }).workspaces.get('demo')!;
    expect(defaults).toHaveLength(40);
    expect(Math.max(...defaults.map((s) => s.files.length))).toBe(3000);
  });
});

describe('sessions', () => {
  it('have unique v4 UUIDs and API-shaped timestamps, some with microseconds, some sharing created_at', () => {
    expect(new Set(sessions.map((s) => s.session_id)).size).toBe(sessions.length);
    expect(sessions.every((s) => UUID_V4.test(s.session_id) && UUID_V4.test(s.created_by.user_id))).toBe(
      true,
    );
    const stamps = sessions.flatMap((s) => [s.created_at, s.expires_at ?? '2026-01-01T00:00:00Z']);
    expect(stamps.every((t) => TIMESTAMP.test(t))).toBe(true);
    expect(stamps.some((t) => t.includes('.'))).toBe(true);
    expect(stamps.some((t) => !t.includes('.'))).toBe(true);
    expect(new Set(sessions.map((s) => s.created_at)).size).toBeLessThan(sessions.length);
  });

  it('are EXPIRED exactly when expires_at is before now; never with a null expiry', () => {
    const now = NOW.getTime() * 1000;
    for (const session of sessions) {
      const expired = session.expires_at !== null && micros(session.expires_at)! < now;
      expect(session.status === 'EXPIRED').toBe(expired);
      if (!expired) expect(['OPEN', 'CLOSED']).toContain(session.status);
      expect(micros(session.created_at)!).toBeLessThan(now);
    }
    expect(sessions.some((s) => s.expires_at === null)).toBe(true);
    expect(new Set(sessions.map((s) => s.status))).toEqual(new Set(['OPEN', 'CLOSED', 'EXPIRED']));
  });

  it('use all four write modes', () => {
    expect(new Set(sessions.map((s) => s.write_mode))).toEqual(new Set(WRITE_MODES));
  });
});

describe('files', () => {
  it('have unique v4 UUIDs and hidden created_at timestamps, some shared within a session', () => {
    expect(new Set(files.map((f) => f.file_ingestion_id)).size).toBe(files.length);
    expect(files.every((f) => UUID_V4.test(f.file_ingestion_id) && TIMESTAMP.test(f.created_at))).toBe(true);
    const largest = sessions.find((s) => s.files.length === 1200)!;
    expect(new Set(largest.files.map((f) => f.created_at)).size).toBeLessThan(1200);
  });

  it('are PENDING, FAILED or FINISHED; FAILED ones carry every documented reason, others none', () => {
    expect(new Set(files.map((f) => f.ingestion_status))).toEqual(new Set(['PENDING', 'FAILED', 'FINISHED']));
    const failed = files.filter((f) => f.ingestion_status === 'FAILED');
    expect(new Set(failed.map((f) => f.ingestion_status_reason))).toEqual(new Set(FAILURE_REASONS));
    expect(
      files.filter((f) => f.ingestion_status !== 'FAILED').every((f) => f.ingestion_status_reason === null),
    ).toBe(true);
  });

  it('include every nasty name, and mostly ordinary ones', () => {
    const names = new Set(files.map((f) => f.name));
    for (const nasty of NASTY_FILE_NAMES) expect(names).toContain(nasty);
    const all = [...names];
    for (const pattern of [
      /,/,
      /"/,
      /[^\r]\n/,
      /\r\n/,
      /\t/,
      /日本語/,
      /\p{Extended_Pictographic}/u,
      /^=/,
      /^\+/,
      /^-/,
      /^@/,
    ]) {
      expect(all.some((name) => pattern.test(name))).toBe(true);
    }
    const ordinary = files.filter((f) => /^[a-z]+-\d{4}\.[a-z]+$/.test(f.name)).length;
    expect(ordinary / files.length).toBeGreaterThan(0.9);
  });
});

describe('unknownEnums', () => {
  it('adds the values the docs do not list', () => {
    const odd = generateDataset({ seed: 2, sessions: 12, maxFiles: 200, unknownEnums: true, now: NOW });
    const oddSessions = odd.workspaces.get('demo')!;
    const oddFiles = oddSessions.flatMap((s) => s.files);
    expect(oddSessions.map((s) => s.status)).toContain('ARCHIVED');
    expect(oddSessions.map((s) => s.write_mode)).toContain('APPEND');
    expect(oddFiles.map((f) => f.ingestion_status)).toContain('QUEUED');
    expect(oddFiles.map((f) => f.ingestion_status_reason)).toContain('VIRUS_DETECTED');
    const now = NOW.getTime() * 1000;
    const archived = oddSessions.filter((s) => s.status === 'ARCHIVED');
    expect(archived.every((s) => s.expires_at === null || micros(s.expires_at)! >= now)).toBe(true);
  });

  it('keeps to the documented values by default', () => {
    expect(files.some((f) => f.ingestion_status === 'QUEUED')).toBe(false);
    expect(sessions.some((s) => s.status === 'ARCHIVED' || s.write_mode === 'APPEND')).toBe(false);
  });
});
