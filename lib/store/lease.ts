/**
 * A lease: one holder at a time for a key of a report store, with an expiry, so a holder that
 * dies (a Lambda timeout, a crash, kill -9) frees it without anyone's help. Every change is a
 * conditional write: taking a free lease needs the key absent (S3 If-None-Match: *), taking
 * over an expired one, refreshing or releasing needs the exact version read (S3 If-Match on
 * the ETag), so two contenders can never both win.
 */
import { z } from 'zod';
import { JSON_CONTENT_TYPE, parseStoredJson } from './content';
import type { ReportStore } from './store';

const LeaseBody = z.object({ holder: z.string(), expires_at: z.string(), released: z.boolean().optional() });

/** Who holds a lease, until when. */
export interface LeaseState {
  holder: string;
  expiresAt: Date;
  /** Let go by its holder (rather than left to expire by one that died). */
  released: boolean;
}

export interface LeaseOptions {
  /** How long the lease lasts without a refresh. */
  ttlMs: number;
  now?: () => Date;
  /**
   * Whether a live lease's holder is done already (it ended, and only its release is left):
   * such a lease is taken over like an expired one.
   */
  holderDone?: (holder: string) => Promise<boolean>;
  /** false: an expired lease that was not released (its holder died) is refused too. Default true. */
  takeOverExpired?: boolean;
  /** Held by several processes of one run at once: a sibling's refresh is no loss (adoptLease). */
  shared?: boolean;
}

export type LeaseAttempt = { acquired: true; lease: HeldLease } | { acquired: false; heldBy: LeaseState };

/** Reads the lease at `key`; undefined when absent or unreadable (an unreadable lease is free). */
export async function readLease(store: ReportStore, key: string): Promise<LeaseState | undefined> {
  const current = await store.read(key);
  return current ? parseLease(current.body) : undefined;
}

/**
 * Takes the lease for `holder` when it is absent, expired, damaged, or already `holder`'s (a
 * run handed over to another process adopts the lease it was started under).
 */
export async function acquireLease(
  store: ReportStore,
  key: string,
  holder: string,
  options: LeaseOptions,
): Promise<LeaseAttempt> {
  const now = options.now ?? (() => new Date());
  for (let attempt = 1; attempt <= 10; attempt++) {
    const current = await store.read(key);
    const state = current ? parseLease(current.body) : undefined;
    const other = state && state.holder !== holder;
    const live = other && state.expiresAt > now();
    const abandoned = other && !live && !state.released && options.takeOverExpired === false;
    if ((live || abandoned) && !(await options.holderDone?.(state.holder)))
      return { acquired: false, heldBy: state };
    const lease = new HeldLease(store, key, holder, options);
    if (await lease.writeOver(current?.version)) return { acquired: true, lease };
  }
  throw new Error(`could not take the lease ${key}: it kept changing during 10 attempts`);
}

/**
 * The lease at `key`, kept alive by one of several processes of the same run at once (the
 * fan-out's steps and workers): it counts as held while `holder` holds it, expired or not, and
 * a sibling's refresh is no loss. undefined when another holder has it, it was released, or it
 * is gone: the run lost it and must not go on.
 */
export async function adoptLease(
  store: ReportStore,
  key: string,
  holder: string,
  options: LeaseOptions,
): Promise<HeldLease | undefined> {
  const lease = new HeldLease(store, key, holder, { ...options, shared: true });
  return (await lease.adopt()) ? lease : undefined;
}

/** A lease this process holds; `refresh` extends it, `release` frees it for the next holder. */
export class HeldLease {
  #version: string | undefined;
  #expiresAt = new Date(0);
  #lost = false;
  readonly #now: () => Date;

  constructor(
    private readonly store: ReportStore,
    readonly key: string,
    readonly holder: string,
    private readonly options: LeaseOptions,
  ) {
    this.#now = options.now ?? (() => new Date());
  }

  /** False once a refresh found the lease taken over (this holder stalled past the expiry). */
  get held(): boolean {
    return !this.#lost;
  }

  /** Until when the last write this holder made holds it. */
  get expiresAt(): Date {
    return this.#expiresAt;
  }

  /** Extends the lease by `ttlMs` (default the TTL); false when it is no longer ours. */
  async refresh(ttlMs = this.options.ttlMs): Promise<boolean> {
    if (this.#lost) return false;
    if (await this.writeOver(this.#version, ttlMs)) return true;
    if (this.options.shared && (await this.adopt(ttlMs))) return true;
    this.#lost = true;
    return false;
  }

  /** @internal Writes over the lease while it is this holder's (and not released). */
  async adopt(ttlMs = this.options.ttlMs): Promise<boolean> {
    for (let attempt = 1; attempt <= 10; attempt++) {
      const current = await this.store.read(this.key);
      const state = current ? parseLease(current.body) : undefined;
      if (!current || state?.holder !== this.holder || state.released) return false;
      // Lost only to a sibling's write of the same holder: read again.
      if (await this.writeOver(current.version, ttlMs)) return true;
    }
    return false;
  }

  /** Frees the lease (written as expired now), unless someone took it over meanwhile. */
  async release(): Promise<void> {
    if (this.#lost) return;
    this.#lost = true;
    await this.writeOver(this.#version, 0, true);
  }

  /** @internal Conditionally writes this holder's lease over `version` (undefined: absent). */
  async writeOver(
    version: string | undefined,
    ttlMs = this.options.ttlMs,
    released = false,
  ): Promise<boolean> {
    const expiresAt = new Date(this.#now().getTime() + ttlMs);
    const lease = {
      holder: this.holder,
      expires_at: expiresAt.toISOString(),
      ...(released ? { released } : {}),
    };
    const body = `${JSON.stringify(lease)}\n`;
    const written = await this.store.writeIfUnchanged(this.key, body, version, {
      contentType: JSON_CONTENT_TYPE,
    });
    if (!written) return false;
    // The store tells no version on write: read it back (S3 ETags of encrypted objects are not
    // the body's MD5). Another writer in between would have had to match our new version first.
    const stored = await this.store.read(this.key);
    if (stored?.body !== body) return false;
    this.#version = stored.version;
    this.#expiresAt = expiresAt;
    return true;
  }
}

function parseLease(body: string): LeaseState | undefined {
  const parsed = parseStoredJson(LeaseBody, body);
  if (!parsed) return undefined;
  const expiresAt = new Date(parsed.expires_at);
  if (Number.isNaN(expiresAt.getTime())) return undefined;
  return { holder: parsed.holder, expiresAt, released: parsed.released === true };
}
