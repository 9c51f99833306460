/**
 * The provider's own login step (oidc-provider's "custom interactions"): a form that checks the
 * username and password for real, and, once signed in, grants the first-party app what it asked
 * for without a consent screen (an administrator registered it, as a company's login would).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import { loginPage } from './login-page';
import { checkLogin } from './users';

const MAX_FORM_BYTES = 4096;

/** Handles `GET /interaction/<uid>` and `POST /interaction/<uid>/login`. */
export function interactions(provider: Provider, password: string, clientId: string) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const details = await provider.interactionDetails(req, res);
    const uid = details.uid;
    if (details.prompt.name !== 'login') return grantEverythingAsked(provider, details, req, res);
    if (req.method === 'GET') return sendHtml(res, 200, loginPage({ uid, clientId }));
    if (req.method !== 'POST' || !req.url?.endsWith('/login'))
      return sendHtml(res, 405, 'method not allowed');
    const form = new URLSearchParams(await readBody(req));
    const username = form.get('username') ?? '';
    const user = checkLogin(username, form.get('password') ?? '', password);
    if (!user) {
      return sendHtml(res, 401, loginPage({ uid, clientId, username, error: 'Wrong username or password.' }));
    }
    const result: InteractionResults = { login: { accountId: user.username } };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  };
}

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

async function grantEverythingAsked(
  provider: Provider,
  details: Details,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { params, session, prompt } = details;
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: session!.accountId, clientId: String(params.client_id) });
  if (!grant) throw new Error('the grant of this interaction is gone');
  const missing = prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(resource, scopes.join(' '));
  }
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: details.grantId ? {} : { grantId } });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_FORM_BYTES) req.destroy(new Error('login form too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy':
      // No form-action: Chromium applies it to the redirects after the POST, which end at the app.
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  });
  res.end(html);
}
