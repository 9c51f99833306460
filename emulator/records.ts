/**
 * The shapes of the emulator's data, a session and its files: on their own, so the generators
 * that build them and the dataset that holds them import these without importing each other.
 */

/** A file of a session. `created_at` is hidden: the API sorts by it but does not return it. */
export interface EmulatorFile {
  file_ingestion_id: string;
  name: string;
  ingestion_status: string;
  ingestion_status_reason: string | null;
  created_at: string;
}

/** An upload session with its files (`file_count` sorts by `files.length`). */
export interface EmulatorSession {
  session_id: string;
  created_at: string;
  expires_at: string | null;
  created_by: { given_name: string; family_name: string; user_id: string };
  status: string;
  write_mode: string;
  files: EmulatorFile[];
}
