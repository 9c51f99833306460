/**
 * The two endpoints. Each validates its input (422), lets a test's `onRequest` hook run,
 * finds the workspace and session (404), then pages through the cached sorted view.
 */
import type { Context } from 'hono';
import type { EmulatorSession } from './dataset';
import type { Faults } from './faults';
import { type PageResult, paginate } from './paginate';
import { lastQueryValues, parseFilesQuery, parseSessionsQuery } from './query';
import { fileEntry, pageBody, sessionEntry } from './render';
import type { EmulatorStats } from './stats';
import { validationErrorBody, valueError } from './validation-errors';
import type { ViewCache } from './views';

/** What the handlers read. */
export interface HandlerDeps {
  views: ViewCache;
  faults: Faults;
  stats: EmulatorStats;
}

/** `GET /api/v1/workspaces/{workspace_name}/upload_sessions` */
export function listSessions(deps: HandlerDeps) {
  return async (c: Context) => {
    const workspace = c.req.param('workspace_name') ?? '';
    const raw = lastQueryValues(c.req.url);
    const parsed = parseSessionsQuery(raw);
    if (!parsed.ok) return c.json(validationErrorBody(parsed.errors), 422);
    await deps.faults.onRequest?.({ endpoint: 'sessions', workspace, query: raw });
    const view = deps.views.sessions(workspace, parsed.query);
    if (!view) return c.json({ detail: workspaceNotFound(workspace) }, 404);
    const page = paginate(view, parsed.query);
    if (!page.ok) return c.json(unknownCursor(page), 422);
    return c.json(pageBody('sessions', page.data.map(sessionEntry), page.hasMore, page.total, deps.faults));
  };
}

/** `GET /api/v1/workspaces/{workspace_name}/upload_sessions/{session_id}/files` */
export function listSessionFiles(deps: HandlerDeps) {
  return async (c: Context) => {
    const workspace = c.req.param('workspace_name') ?? '';
    const raw = lastQueryValues(c.req.url);
    const parsed = parseFilesQuery(c.req.param('session_id') ?? '', raw);
    if (!parsed.ok) return c.json(validationErrorBody(parsed.errors), 422);
    const { sessionId } = parsed.query;
    await deps.faults.onRequest?.({ endpoint: 'files', workspace, sessionId, query: raw });
    if (!deps.views.workspace(workspace)) return c.json({ detail: workspaceNotFound(workspace) }, 404);
    const session = findLiveSession(deps, workspace, sessionId);
    if (!session) return c.json({ detail: sessionNotFound(sessionId) }, 404);
    const page = paginate(deps.views.files(workspace, session, parsed.query), parsed.query);
    if (!page.ok) return c.json(unknownCursor(page), 422);
    return c.json(pageBody('files', page.data.map(fileEntry), page.hasMore, page.total, deps.faults));
  };
}

/** A vanished session is still listed, but answers like one that was deleted a moment ago. */
function findLiveSession(
  deps: HandlerDeps,
  workspace: string,
  sessionId: string,
): EmulatorSession | undefined {
  if (deps.faults.vanishedSessions.has(sessionId)) {
    deps.stats.faultsInjected++;
    return undefined;
  }
  return deps.views.findSession(workspace, sessionId);
}

function workspaceNotFound(workspace: string): string {
  return `There's no workspace with the name '${workspace}'. Check if the name is correct.`;
}

/** The vendor's documented 404 text. */
function sessionNotFound(sessionId: string): string {
  return `There's no session with the ID '${sessionId}' in the workspace. Check if the ID is correct.`;
}

function unknownCursor(page: Extract<PageResult<unknown>, { ok: false }>) {
  const message = `there's no entry with the ID '${page.id}' in this list: the cursor must be an ID from it`;
  return validationErrorBody([valueError(['query', page.cursor], page.id, message)]);
}
