/**
 * Access by workspace: every route under `/workspaces/{workspace}/` checks the caller's groups
 * before it touches the store or the upstream API (so a download link is presigned only after
 * the check). Reading needs a readers or runners group, for all workspaces or this one; running a
 * report (any other method than GET/HEAD) needs a runners group. A browser gets a page naming
 * the group to ask for; the API gets 403 JSON saying the same.
 */
import type { MiddlewareHandler } from 'hono';
import { workspaceNameProblem } from '../../../lib/report/workspace-name';
import type { HttpEnv } from '../env';
import { errorBody } from '../errors';
import { htmlResponse } from '../html-page';
import { ForbiddenPage } from './auth-pages';
import { type Action, groupsAllowing, may } from './user';
import { wantsHtml } from './wants-html';

/** The middleware for `/workspaces/:workspace/*`. */
export function workspaceAccess(): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const workspace = c.req.param('workspace') ?? '';
    // An invalid name is refused by the route's validation (400) before any store access.
    if (workspaceNameProblem(workspace)) return next();
    const action: Action = ['GET', 'HEAD'].includes(c.req.method) ? 'read' : 'run';
    const user = c.get('user');
    if (may(user, action, workspace)) return next();
    const groups = groupsAllowing(action, workspace);
    if (wantsHtml(c)) {
      const page = <ForbiddenPage user={user} workspace={workspace} action={action} groups={groups} />;
      return htmlResponse(c, page, 403);
    }
    const verb = action === 'run' ? 'run reports in' : 'read';
    return c.json(
      errorBody(
        'FORBIDDEN',
        `${user.displayName} may not ${verb} workspace "${workspace}": it takes one of the groups ${groups.join(', ')}`,
      ),
      403,
    );
  };
}
