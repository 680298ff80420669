import path from 'node:path';

/** Environment variable that overrides the default database location. */
export const DB_ENV_VAR = 'CONTRAREC_DB';

/** Default SQLite file, relative to the working directory. */
export const DEFAULT_DB_PATH = './data/contrarec.db';

/**
 * The database path a command should use: the `--db` flag if given, else `$CONTRAREC_DB`,
 * else `./data/contrarec.db`.
 */
export function resolveDbPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(flag ?? env[DB_ENV_VAR] ?? DEFAULT_DB_PATH);
}

/** Directory holding model artifacts: `models/` beside the database file. */
export function modelsDirFor(dbPath: string): string {
  return path.join(path.dirname(dbPath), 'models');
}
