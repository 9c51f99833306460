/**
 * A ReportStore that fails its Nth write (`write` or `writeIfUnchanged`, counted together) and
 * passes everything else to the real store underneath. It wraps our own port, not AWS: the
 * S3 store below it still talks to s3rver through the real SDK. A streamed body is read to its
 * end and then throws, so the real store has uploaded parts (a multipart upload under way)
 * when the write fails, the way a connection lost at the last moment would leave it.
 */
import type { Body, ReportStore } from '../../lib/store/store';

export interface FailingStore {
  store: ReportStore;
  /** Keys of every write attempted, in call order (the failed one included). */
  attempted: string[];
}

/** Fails write number `failAt` (1-based); 0 fails none (then it only records). */
export function failingStore(inner: ReportStore, failAt: number): FailingStore {
  const attempted: string[] = [];
  const store: ReportStore = Object.create(inner);
  const failsNow = (key: string) => {
    attempted.push(key);
    return attempted.length === failAt;
  };
  store.write = (key, body, options) => {
    if (!failsNow(key)) return inner.write(key, body, options);
    if (typeof body === 'string' || body instanceof Uint8Array) {
      return Promise.reject(new Error(`store failure injected on ${key}`));
    }
    return inner.write(key, failingAtEnd(body, key), options);
  };
  store.writeIfUnchanged = (key, body, version, options) => {
    if (!failsNow(key)) return inner.writeIfUnchanged(key, body, version, options);
    return Promise.reject(new Error(`store failure injected on ${key}`));
  };
  return { store, attempted };
}

async function* failingAtEnd(body: AsyncIterable<string | Uint8Array>, key: string): Body {
  for await (const chunk of body) yield chunk;
  throw new Error(`store failure injected at the end of ${key}`);
}
