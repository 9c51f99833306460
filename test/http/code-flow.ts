/**
 * The authorization-code flow driven with plain fetch, as a browser would follow it: redirects
 * one by one, a cookie jar per origin, the provider's login form posted. For tests that need a
 * signed-in session without Chromium (every request and answer is real).
 */

/** Cookies by origin, as name → value; a cookie set empty or expired is removed. */
export class CookieJar {
  private readonly byOrigin = new Map<string, Map<string, string>>();

  header(url: string): string {
    const cookies = this.byOrigin.get(new URL(url).origin) ?? new Map();
    return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  store(url: string, response: Response): void {
    const origin = new URL(url).origin;
    const cookies = this.byOrigin.get(origin) ?? new Map<string, string>();
    this.byOrigin.set(origin, cookies);
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const [name, value] = [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
      if (!value || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) cookies.delete(name);
      else cookies.set(name, value);
    }
  }
}

/** One request with the jar's cookies, redirects not followed. */
export async function step(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const cookie = jar.header(url);
  if (cookie) headers.set('Cookie', cookie);
  const response = await fetch(url, { ...init, headers, redirect: 'manual' });
  jar.store(url, response);
  return response;
}

/**
 * Opens `start` (a page of the app), follows the redirects to the provider's login form, signs in
 * as `username`, and follows on until the app answers something other than a redirect to the
 * provider. Returns the responses seen, last one last.
 */
export async function signInWithFetch(
  jar: CookieJar,
  start: string,
  username: string,
  password: string,
): Promise<Response[]> {
  const seen: Response[] = [];
  let url = start;
  let init: RequestInit = { headers: { Accept: 'text/html' } };
  for (let hop = 0; hop < 20; hop++) {
    const response = await step(jar, url, init);
    seen.push(response);
    const location = response.headers.get('Location');
    if (location) {
      url = new URL(location, url).toString();
      init = { headers: { Accept: 'text/html' } };
      continue;
    }
    const form = /action="(\/interaction\/[^"]+\/login)"/.exec(await response.clone().text());
    if (!form || init.method === 'POST') return seen;
    url = new URL(form[1]!, url).toString();
    init = {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
      body: new URLSearchParams({ username, password }).toString(),
    };
  }
  throw new Error('sign-in did not finish in 20 steps');
}
