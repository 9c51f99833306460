/**
 * Faults the emulator does not model, injected on the wire by a small HTTP proxy in front of
 * it: a 200 whose body stops halfway and the connection drops (Content-Length unmet), and a
 * 200 whose body stalls after the headers. Other API implementations fail this way.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the proxy spoils one response. */
export type WireFault = 'cut-body' | 'stall-body';

/** A running proxy; `script` is consumed one fault per request, in order. */
export interface WireProxy {
  /** The proxied API base URL (same path as the target's). */
  url: string;
  script: WireFault[];
  /** Faults served so far. */
  served: number;
  close(): Promise<void>;
}

/** Proxies GETs to `target` (a base URL like http://127.0.0.1:PORT/api/v1). */
export async function startWireProxy(target: string): Promise<WireProxy> {
  const upstream = new URL(target);
  const proxy: WireProxy = { url: '', script: [], served: 0, close: async () => {} };
  const server: Server = createServer(async (req, res) => {
    const answer = await fetch(new URL(req.url ?? '/', upstream.origin), {
      headers: { authorization: req.headers.authorization ?? '', accept: 'application/json' },
    });
    const body = Buffer.from(await answer.arrayBuffer());
    const fault = proxy.script.shift();
    res.writeHead(answer.status, {
      'content-type': answer.headers.get('content-type') ?? 'application/json',
      'content-length': body.length,
    });
    if (!fault) return void res.end(body);
    proxy.served++;
    res.write(body.subarray(0, Math.floor(body.length / 2)));
    // cut-body: the rest never comes and the connection drops; stall-body: it never comes at all.
    if (fault === 'cut-body') setTimeout(() => res.destroy(), 20);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  proxy.url = `http://127.0.0.1:${port}${upstream.pathname}`;
  proxy.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
