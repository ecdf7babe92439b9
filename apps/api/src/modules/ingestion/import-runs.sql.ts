/*
 * import_runs statements that run outside Nest (the staging thread, on a connection of its own): plain strings, so
 * the thread's bundle needs nothing of the repository's dependencies. The repository (import-runs.repository.ts)
 * owns every other statement.
 */

/** Validation's progress in bytes. */
export const RUN_BYTES_SQL = 'UPDATE import_runs SET bytes_processed = $2 WHERE id = $1';
