/**
 * The pages of sign-in that are not the identity provider's: access refused (naming the group
 * to ask for), signed out, and a sign-in that did not complete. Plain, self-contained pages with
 * the dashboard's look.
 */
import { DASHBOARD_CSS } from '../dashboard/styles';
import { HtmlPage } from '../html-page';
import { USER_BAR_CSS, UserBar } from '../user-bar';
import type { Action, User } from './user';

const CSS = DASHBOARD_CSS + USER_BAR_CSS;

/** 403 in a browser: who is signed in, what they tried, and which group would allow it. */
export function ForbiddenPage(props: { user: User; workspace: string; action: Action; groups: string[] }) {
  const [oneWorkspace, everyWorkspace] = [
    props.groups.find((group) => group.endsWith(`:${props.workspace}`)),
    props.groups.find((group) => !group.includes(':')),
  ];
  const what = props.action === 'run' ? 'run reports in' : 'see the reports of';
  return (
    <HtmlPage title="Access needed" css={CSS}>
      <main>
        <UserBar user={props.user} />
        <section class="empty" id="forbidden">
          <h1>You need access to {props.workspace}</h1>
          <p>
            You are signed in as <strong>{props.user.displayName}</strong>, but you may not {what} workspace{' '}
            <strong>{props.workspace}</strong>.
          </p>
          <p>
            Ask your administrator to add you to the group <code>{oneWorkspace}</code> (this workspace only)
            or <code>{everyWorkspace}</code> (every workspace), then sign out and in again.
          </p>
          <p>
            <a href="/">Your workspaces</a>
          </p>
        </section>
      </main>
    </HtmlPage>
  );
}

/** After /logout. The identity provider may still remember the user: signing in can be instant. */
export function SignedOutPage() {
  return (
    <HtmlPage title="Signed out" css={CSS}>
      <main>
        <section class="empty">
          <h1>You are signed out</h1>
          <p>
            <a href="/">Sign in again</a>
          </p>
        </section>
      </main>
    </HtmlPage>
  );
}

/** The identity provider sent the user back without a usable answer (denied, expired, replayed). */
export function SignInFailedPage(props: { requestId: string }) {
  return (
    <HtmlPage title="Sign-in did not complete" css={CSS}>
      <main>
        <section class="empty">
          <h1>Sign-in did not complete</h1>
          <p>
            The answer from the identity provider could not be used (it may have expired, been used already,
            or been refused). Request id {props.requestId}.
          </p>
          <p>
            <a href="/">Try again</a>
          </p>
        </section>
      </main>
    </HtmlPage>
  );
}
