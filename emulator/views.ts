/**
 * Sorted, filtered views of the dataset, cached per (workspace, session, field, order, filter)
 * so paging through a 5000-file session sorts it once. Every cache is dropped when
 * `dataset.version` changes (see `touch`). A view maps IDs to positions lazily, so a cursor
 * request costs O(1) after the first.
 */
import type { FileSortField, SessionSortField, SortOrder } from '../lib/api/enums';
import type { Dataset, EmulatorFile, EmulatorSession } from './dataset';
import { fileSortKey, sessionSortKey, sortAscending } from './sort';

/** Entries in the requested order, with positions by ID. */
export class SortedView<T> {
  private positions?: Map<string, number>;

  constructor(
    readonly entries: readonly T[],
    private readonly idOf: (entry: T) => string,
  ) {}

  /** The position of the entry with this ID, or undefined when it is not in the view. */
  indexOf(id: string): number | undefined {
    this.positions ??= new Map(this.entries.map((entry, index) => [this.idOf(entry), index]));
    return this.positions.get(id);
  }
}

/** How a sessions list is asked for. */
export interface SessionsViewQuery {
  field: SessionSortField;
  order: SortOrder;
  isExpired?: boolean;
}
/** How a files list is asked for. */
export interface FilesViewQuery {
  field: FileSortField;
  order: SortOrder;
  ingestionStatus?: string;
}

const sessionId = (session: EmulatorSession) => session.session_id;
const fileId = (file: EmulatorFile) => file.file_ingestion_id;

/** The cache of views (least recently used views are evicted beyond `maxViews`). */
export class ViewCache {
  private version = Number.NaN;
  private readonly views = new Map<string, object>();
  private readonly sessionsById = new Map<string, Map<string, EmulatorSession>>();

  constructor(
    private readonly dataset: Dataset,
    private readonly maxViews = 512,
  ) {}

  /** The sessions of a workspace, or undefined for an unknown workspace. */
  workspace(name: string): readonly EmulatorSession[] | undefined {
    return this.dataset.workspaces.get(name);
  }

  /** A session of a workspace by its (canonical) ID. */
  findSession(workspace: string, id: string): EmulatorSession | undefined {
    this.dropIfStale();
    const sessions = this.workspace(workspace);
    if (!sessions) return undefined;
    let byId = this.sessionsById.get(workspace);
    if (!byId) {
      byId = new Map(sessions.map((session) => [session.session_id, session]));
      this.sessionsById.set(workspace, byId);
    }
    return byId.get(id);
  }

  /** The workspace's sessions, filtered and sorted; undefined for an unknown workspace. */
  sessions(workspace: string, query: SessionsViewQuery): SortedView<EmulatorSession> | undefined {
    const sessions = this.workspace(workspace);
    if (!sessions) return undefined;
    const filter = query.isExpired === undefined ? '' : String(query.isExpired);
    const build = () => {
      const kept =
        query.isExpired === undefined
          ? sessions
          : sessions.filter((s) => (s.status === 'EXPIRED') === query.isExpired);
      return sortAscending(kept, sessionSortKey(query.field), sessionId);
    };
    return this.view(['sessions', workspace, query.field, filter], query.order, build, sessionId);
  }

  /** A session's files, filtered by ingestion status and sorted. */
  files(workspace: string, session: EmulatorSession, query: FilesViewQuery): SortedView<EmulatorFile> {
    const status = query.ingestionStatus;
    const build = () => {
      const kept =
        status === undefined ? session.files : session.files.filter((f) => f.ingestion_status === status);
      return sortAscending(kept, fileSortKey(query.field), fileId);
    };
    const key = ['files', workspace, session.session_id, query.field, status ?? ''];
    return this.view(key, query.order, build, fileId);
  }

  /** DESC is built from the cached ASC view: the ID tie-break makes it the exact reverse. */
  private view<T>(
    key: string[],
    order: SortOrder,
    build: () => T[],
    idOf: (entry: T) => string,
  ): SortedView<T> {
    this.dropIfStale();
    const ascending = this.cached(`${key.join('\u0000')}\u0000ASC`, () => new SortedView(build(), idOf));
    if (order === 'ASC') return ascending;
    const descending = () => new SortedView([...ascending.entries].reverse(), idOf);
    return this.cached(`${key.join('\u0000')}\u0000DESC`, descending);
  }

  private cached<T>(key: string, create: () => SortedView<T>): SortedView<T> {
    const hit = this.views.get(key) as SortedView<T> | undefined;
    if (hit) {
      this.views.delete(key);
      this.views.set(key, hit);
      return hit;
    }
    const view = create();
    this.views.set(key, view);
    if (this.views.size > this.maxViews) this.views.delete(this.views.keys().next().value!);
    return view;
  }

  private dropIfStale(): void {
    if (this.version === this.dataset.version) return;
    this.views.clear();
    this.sessionsById.clear();
    this.version = this.dataset.version;
  }
}
