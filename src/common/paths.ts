import path from 'node:path';
import { parseDbLocation } from './db-location.js';

/** Environment variable that overrides the default database location. */
export const DB_ENV_VAR = 'CONTRAREC_DB';

/** Default SQLite file, relative to the working directory. */
export const DEFAULT_DB_PATH = './data/contrarec.db';

/** The help text of every command's `--db` option. */
export const DB_OPTION_HELP = `SQLite file, sqlite:PATH or postgres://user:pass@host:port/db (default $${DB_ENV_VAR} or ${DEFAULT_DB_PATH})`;

/**
 * The database a command should use: the `--db` flag if given, else `$CONTRAREC_DB`, else
 * `./data/contrarec.db`. A SQLite location comes back as an absolute file path, a PostgreSQL one
 * as its URL (see `parseDbLocation`).
 */
export function resolveDbPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const location = parseDbLocation(flag ?? env[DB_ENV_VAR] ?? DEFAULT_DB_PATH);
  return location.dialect === 'sqlite' ? location.path : location.url;
}

/**
 * The local folder for what a database keeps on disk beside it (model artifacts, relative
 * artifact paths): the SQLite file's folder, or for a PostgreSQL database `./data` of the
 * working directory, where the trainer writes artifacts before storing them in the database and
 * every other machine caches the versions it downloads (see `ensureLocalArtifact`).
 */
export function dataDirFor(db: string): string {
  const location = parseDbLocation(db);
  return location.dialect === 'sqlite' ? path.dirname(location.path) : path.resolve(path.dirname(DEFAULT_DB_PATH));
}

/** Directory holding model artifacts: `models/` in {@link dataDirFor}. */
export function modelsDirFor(db: string): string {
  return path.join(dataDirFor(db), 'models');
}
