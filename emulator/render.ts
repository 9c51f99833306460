/**
 * Turns stored entries into the JSON the API returns: hidden fields (a file's `created_at`,
 * a session's `files`) stay hidden, and the schema-drift knobs (`dropField`, `extraFields`)
 * are applied here, to every entry and the envelope.
 */
import type { EmulatorFile, EmulatorSession } from './dataset';
import type { EndpointName, Faults } from './faults';

type Entry = Record<string, unknown>;

/** A session as `GET .../upload_sessions` lists it. */
export function sessionEntry(session: EmulatorSession): Entry {
  return {
    session_id: session.session_id,
    created_at: session.created_at,
    expires_at: session.expires_at,
    created_by: { ...session.created_by },
    status: session.status,
    write_mode: session.write_mode,
  };
}

/** A file as `GET .../files` lists it (without the hidden `created_at`). */
export function fileEntry(file: EmulatorFile): Entry {
  return {
    file_ingestion_id: file.file_ingestion_id,
    name: file.name,
    ingestion_status: file.ingestion_status,
    ingestion_status_reason: file.ingestion_status_reason,
  };
}

/** The `{data, has_more, total}` envelope, drifted as the knobs say. */
export function pageBody(
  endpoint: EndpointName,
  data: Entry[],
  hasMore: boolean,
  total: number,
  faults: Faults,
) {
  const drop = faults.dropField?.endpoint === endpoint ? faults.dropField.field : undefined;
  const entries = data.map((entry) => drift(entry, drop, faults.extraFields));
  const body: Entry = { data: entries, has_more: hasMore, total };
  if (faults.extraFields) Object.assign(body, { page_size: entries.length, links: { self: null } });
  return body;
}

function drift(entry: Entry, drop: string | undefined, extra: boolean): Entry {
  if (drop !== undefined) delete entry[drop];
  if (extra) Object.assign(entry, { schema_version: 2, extra_metadata: { source: 'emulator', tags: [] } });
  return entry;
}
