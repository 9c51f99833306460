/** The line atop every signed-in page: home, who is signed in, and the way out. */
import type { User } from './auth/user';

/** Links are absolute paths: pages live at different depths. */
export function UserBar(props: { user: User }) {
  const { user } = props;
  return (
    <nav class="userbar" aria-label="Account">
      <a href="/">Home</a>
      {user.source === 'open' ? (
        <span class="who">Sign-in is off</span>
      ) : user.source === 'iam' ? (
        <span class="who">
          Signed in with AWS IAM as <strong>{user.displayName}</strong>
        </span>
      ) : (
        <span class="who">
          Signed in as <strong>{user.displayName}</strong> · <a href="/logout">Sign out</a>
        </span>
      )}
    </nav>
  );
}

export const USER_BAR_CSS = `
nav.userbar { display: flex; justify-content: space-between; gap: 12px; font-size: 13px; color: var(--muted); margin-bottom: 10px; }
`;
