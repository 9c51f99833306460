/** The local provider's sign-in form: plain HTML, no script, every value escaped. */

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** The form for interaction `uid`; `error` is shown above it after a failed attempt. */
export function loginPage(props: {
  uid: string;
  clientId: string;
  error?: string;
  username?: string;
}): string {
  const error = props.error ? `<p class="error" role="alert">${escapeHtml(props.error)}</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · local OpenID provider</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; background: #f5f7fa; color: #1f2933; }
main { max-width: 360px; margin: 60px auto; background: #fff; border: 1px solid #d9e2ec; border-radius: 8px; padding: 20px 24px; }
h1 { font-size: 20px; margin: 0 0 4px; } p.hint { color: #52606d; font-size: 13px; margin: 0 0 16px; }
label { display: block; margin: 10px 0 4px; font-weight: 600; } input { width: 100%; box-sizing: border-box; padding: 6px 8px; font: inherit; }
button { margin-top: 16px; padding: 6px 14px; font: inherit; background: #0b57d0; color: #fff; border: 0; border-radius: 6px; }
.error { color: #b42318; }
</style></head>
<body><main>
<h1>Sign in</h1>
<p class="hint">Local OpenID provider for ${escapeHtml(props.clientId)}. Users: analyst, operator, outsider.</p>
${error}
<form method="post" action="/interaction/${escapeHtml(props.uid)}/login" autocomplete="off">
<label for="username">Username</label><input id="username" name="username" value="${escapeHtml(props.username ?? '')}" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" required>
<button type="submit">Sign in</button>
</form>
</main></body></html>
`;
}
