/**
 * Sign-in enforced against an issuer this project did not write (./jwks-issuer: discovery, a JWKS,
 * RS256 tokens minted with jose): bearer tokens are accepted only when signed by its key with an
 * asymmetric algorithm, for our audience, from exactly that issuer and in time; everything else
 * is 401 before the store or the upstream API is touched. Groups decide per workspace (403).
 */
import { base64url, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthFixture, CLIENT_ID, startAuthFixture } from './auth-support';
import { type JwksIssuer, startJwksIssuer } from './jwks-issuer';
import { runToEnd } from './run-to-end';
import { errorOf } from './support';

let fixture: AuthFixture;
let idp: JwksIssuer;
let app: ReturnType<AuthFixture['appFor']>;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  [fixture, idp] = await Promise.all([startAuthFixture(), startJwksIssuer()]);
  app = fixture.appFor(idp.issuer);
});
afterAll(async () => {
  await Promise.all([fixture?.close(), idp?.close()]);
});

const readerToken = (claims: Record<string, unknown> = {}) =>
  idp.mint({ aud: CLIENT_ID, groups: ['reports-readers'], email: 'ana@example.com', ...claims });

function get(path: string, token?: string, headers: Record<string, string> = {}) {
  return app.request(path, {
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
  });
}

/** A token signed with `alg` and a secret, as an attacker could make it. */
function unsignedToken(claims: Record<string, unknown>): string {
  const part = (value: unknown) => base64url.encode(JSON.stringify(value));
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

describe('bearer tokens', () => {
  it('are accepted from the issuer, for our audience, with the reader group', async () => {
    const response = await get('/workspaces/demo/reports/latest', await readerToken());
    expect(response.status).toBe(200);
    const body = (await response.json()) as { summary: { workspace: string } };
    expect(body.summary.workspace).toBe('demo');
  });

  it('are accepted without aud when client_id is our client (Cognito access tokens), and with aud among others', async () => {
    const cognitoStyle = await idp.mint({
      client_id: CLIENT_ID,
      'cognito:groups': [],
      groups: ['reports-readers'],
    });
    expect((await get('/workspaces/demo/reports', cognitoStyle)).status).toBe(200);
    const several = await readerToken({ aud: ['another-api', CLIENT_ID] });
    expect((await get('/workspaces/demo/reports', several)).status).toBe(200);
    const justExpired = await readerToken({ exp: now() - 30 });
    expect((await get('/workspaces/demo/reports', justExpired)).status, 'within the 60 s leeway').toBe(200);
  });

  it('are refused with 401 and WWW-Authenticate: Bearer when invalid, before any store or API use', async () => {
    const payload = {
      iss: idp.issuer,
      sub: 'user-1',
      aud: CLIENT_ID,
      groups: ['reports-runners'],
      exp: now() + 300,
    };
    const forged = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
      .sign(new TextEncoder().encode(JSON.stringify(idp.publicJwk)));
    const forgedWithModulus = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
      .sign(new TextEncoder().encode(String(idp.publicJwk.n)));
    const otherIssuer = await startJwksIssuer();
    const cases: [string, string, RegExp][] = [
      ['expired', await readerToken({ exp: now() - 120, iat: now() - 600 }), /expired/],
      ['not yet valid', await readerToken({ nbf: now() + 120 }), /nbf/],
      ['wrong audience', await readerToken({ aud: 'some-other-app' }), /audience/],
      [
        'no aud, other client_id',
        await idp.mint({ client_id: 'other-client', groups: ['reports-readers'] }),
        /audience/,
      ],
      ['wrong issuer', await readerToken({ iss: 'https://evil.example.com' }), /iss/],
      ['alg none', unsignedToken(payload), /not accepted|not a valid/],
      ['HS256 with the public JWK', forged, /algorithm/],
      ['HS256 with the public modulus', forgedWithModulus, /algorithm/],
      [
        'unknown key',
        await otherIssuer.mint({ iss: idp.issuer, aud: CLIENT_ID, groups: ['reports-readers'] }),
        /unknown key|signature/,
      ],
      [
        'unknown key with a new kid',
        await otherIssuer.mint({ iss: idp.issuer, aud: CLIENT_ID }, { kid: 'key-9' }),
        /unknown key/,
      ],
      ['garbage', 'not-a-jwt', /not a valid/],
      ['no exp', await readerToken({ exp: undefined }), /exp/],
      ['a Cognito ID token', await readerToken({ token_use: 'id' }), /ID token/],
    ];
    await otherIssuer.close();
    for (const [name, token, reason] of cases) {
      fixture.resetUses();
      for (const [method, path] of [
        ['GET', '/workspaces/demo/reports/latest/sessions.csv'],
        ['POST', '/workspaces/demo/reports'],
        ['GET', '/workspaces'],
      ] as const) {
        const response = await app.request(path, { method, headers: { Authorization: `Bearer ${token}` } });
        expect(response.status, `${name}: ${method} ${path}`).toBe(401);
        expect(response.headers.get('WWW-Authenticate')).toBe(
          'Bearer realm="ingestion-reports", error="invalid_token"',
        );
        const error = await errorOf(response);
        expect(error.code).toBe('UNAUTHENTICATED');
        expect(error.message, name).toMatch(reason);
        expect(error.message).not.toContain(token.slice(-20));
      }
      expect(fixture.uses(), `${name}: nothing touched`).toEqual({ store: 0, clients: 0 });
    }
  });

  it('refuses other Authorization schemes', async () => {
    const response = await app.request('/workspaces', { headers: { Authorization: 'Basic dXNlcjpwYXNz' } });
    expect(response.status).toBe(401);
    expect((await errorOf(response)).message).toContain('Bearer <access token>');
  });
});

describe('without a user', () => {
  it('the JSON API answers 401 with a Bearer challenge, touching nothing', async () => {
    fixture.resetUses();
    for (const path of [
      '/',
      '/workspaces',
      '/workspaces/demo/reports',
      '/workspaces/demo/reports/latest/files.csv',
      '/nope',
    ]) {
      const response = await app.request(path, { headers: { Accept: 'application/json' } });
      expect(response.status, path).toBe(401);
      expect(response.headers.get('WWW-Authenticate')).toBe('Bearer realm="ingestion-reports"');
    }
    const post = await app.request('/workspaces/demo/reports', { method: 'POST' });
    expect(post.status).toBe(401);
    expect(fixture.uses()).toEqual({ store: 0, clients: 0 });
  });

  it('a browser is sent to the authorization endpoint with PKCE, state and nonce', async () => {
    const response = await get('/workspaces/demo/dashboard', undefined, { Accept: 'text/html,*/*' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('Location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`${idp.issuer}/authorize`);
    const query = Object.fromEntries(location.searchParams);
    expect(query).toMatchObject({
      client_id: CLIENT_ID,
      response_type: 'code',
      code_challenge_method: 'S256',
      redirect_uri: 'http://localhost/auth/callback',
      scope: 'openid email profile',
    });
    expect(query.state?.length).toBeGreaterThan(20);
    expect(query.nonce?.length).toBeGreaterThan(20);
    expect(query.code_challenge?.length).toBeGreaterThan(20);
    const cookies = response.headers.getSetCookie();
    expect(cookies.map((c) => c.split('=')[0]).sort()).toEqual([
      'code_verifier',
      'continue',
      'nonce',
      'state',
    ]);
    for (const cookie of cookies) {
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(cookie, 'no Secure on plain http').not.toMatch(/; Secure/);
    }
  });

  it('uses PUBLIC_BASE_URL for the redirect URI, marks cookies Secure on https, and ignores the Host header', async () => {
    const behindProxy = fixture.appFor(idp.issuer, { PUBLIC_BASE_URL: 'https://reports.example.com' });
    const response = await behindProxy.request('http://evil.example.com/workspaces/demo/dashboard', {
      headers: { Accept: 'text/html', Host: 'evil.example.com' },
    });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('Location')!);
    expect(location.searchParams.get('redirect_uri')).toBe('https://reports.example.com/auth/callback');
    const cookies = response.headers.getSetCookie();
    for (const cookie of cookies) expect(cookie).toMatch(/; SameSite=Lax; Secure$/);
    const returnTo = cookies.find((c) => c.startsWith('continue='))!;
    expect(decodeURIComponent(returnTo)).toContain('https://reports.example.com/workspaces/demo/dashboard');
  });

  it('public routes answer: /healthz, /docs, /openapi.json (with the security schemes)', async () => {
    expect((await app.request('/healthz')).status).toBe(200);
    expect((await app.request('/docs')).status).toBe(200);
    const doc = (await (await app.request('/openapi.json')).json()) as {
      security: unknown[];
      components: { securitySchemes: Record<string, { type: string; openIdConnectUrl?: string }> };
      paths: Record<string, Record<string, { security?: unknown[]; responses?: Record<string, unknown> }>>;
    };
    expect(doc.security).toEqual([{ bearer: [] }, { oidc: [] }]);
    expect(doc.components.securitySchemes.bearer!.type).toBe('http');
    expect(doc.components.securitySchemes.oidc!.openIdConnectUrl).toBe(
      `${idp.issuer}/.well-known/openid-configuration`,
    );
    expect(doc.paths['/healthz']!.get!.security).toEqual([]);
    expect(Object.keys(doc.paths['/healthz']!.get!.responses!)).toEqual(['200', '429']);
    for (const [path, method] of [
      ['/workspaces', 'get'],
      ['/workspaces/{workspace}/reports', 'post'],
      ['/workspaces/{workspace}/reports/{run}/{file}', 'get'],
    ] as const) {
      expect(Object.keys(doc.paths[path]![method]!.responses!), path).toEqual(
        expect.arrayContaining(['401', '403']),
      );
    }
    expect(doc.paths['/auth/callback']!.get!.security).toEqual([]);
  });
});

describe('groups', () => {
  const as = (groups: string[]) => idp.mint({ aud: CLIENT_ID, sub: groups.join('+') || 'nobody', groups });

  it('a reader of one workspace reads it and nothing else; the 403 names the group to ask for', async () => {
    const token = await as(['reports-readers:demo']);
    expect((await get('/workspaces/demo/reports/latest', token)).status).toBe(200);
    fixture.resetUses();
    const refused = await get('/workspaces/acme/reports/latest/sessions.csv', token);
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).message).toContain('reports-readers:acme');
    expect(fixture.uses(), 'no presigned link is made before the check').toEqual({ store: 0, clients: 0 });
    const page = await get('/workspaces/acme/dashboard', token, { Accept: 'text/html' });
    expect(page.status).toBe(403);
    const html = await page.text();
    expect(html).toContain('reports-readers:acme');
    expect(html).toContain('<code>reports-readers</code>');
    expect(page.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
  });

  it('readers cannot run; runners (all, or of this workspace) can', async () => {
    fixture.resetUses();
    const reader = await as(['reports-readers']);
    const refused = await app.request('/workspaces/demo/reports', {
      method: 'POST',
      headers: { Authorization: `Bearer ${reader}` },
    });
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).message).toContain('reports-runners:demo');
    expect(fixture.uses()).toEqual({ store: 0, clients: 0 });
    for (const groups of [['reports-runners'], ['reports-runners:demo']]) {
      const token = await as(groups);
      const run = await runToEnd(app, '/workspaces/demo/reports?mode=summary', {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(run.status, groups.join()).toBe('complete');
      expect((await get('/workspaces/demo/reports/latest', token)).status, 'runners read too').toBe(200);
    }
    const demoRunner = await as(['reports-runners:demo']);
    expect(
      (
        await app.request('/workspaces/acme/reports', {
          method: 'POST',
          headers: { Authorization: `Bearer ${demoRunner}` },
        })
      ).status,
    ).toBe(403);
  });

  it('GET /workspaces lists what the caller may read, worst failure rate first', async () => {
    const list = async (groups: string[]) =>
      (
        (await (await get('/workspaces', await as(groups))).json()) as {
          items: { workspace: string; failure_rate: number }[];
        }
      ).items;
    const all = await list(['reports-readers']);
    expect(all.map((w) => w.workspace)).toEqual(['acme', 'demo']);
    expect(all[0]!.failure_rate).toBe(1);
    expect(all[1]!.failure_rate).toBeLessThan(1);
    expect((await list(['reports-readers:demo'])).map((w) => w.workspace)).toEqual(['demo']);
    expect(await list(['reports-readers:other'])).toEqual([]);
    expect(await list([])).toEqual([]);
  });
});
