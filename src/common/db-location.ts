import path from 'node:path';
import { z } from 'zod';
import { UserError } from './user-error.js';

/** Where a contrarec database lives: a SQLite file, or a PostgreSQL database reached by URL. */
export type DbLocation = { readonly dialect: 'sqlite'; readonly path: string } | { readonly dialect: 'postgres'; readonly url: string };

const POSTGRES_SCHEME = /^postgres(?:ql)?:\/\//i;
const SQLITE_SCHEME = /^sqlite:(?:\/\/)?/i;
const ANY_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

// A PostgreSQL URL must name a host and a database; user, password and port are optional.
const postgresUrlSchema = z
  .string()
  .regex(POSTGRES_SCHEME)
  .refine((text) => {
    const url = URL.parse(text);
    return url !== null && url.hostname !== '' && url.pathname.length > 1;
  }, 'a PostgreSQL URL needs a host and a database name: postgres://user:pass@host:port/db');

/**
 * Reads `--db` / `$CONTRAREC_DB`: `postgres://user:pass@host:port/db` (or `postgresql://`) is a
 * PostgreSQL database; `sqlite:PATH` or a plain path is a SQLite file (resolved against the
 * working directory). Any other `scheme://` is refused with a message naming the two forms.
 */
export function parseDbLocation(text: string): DbLocation {
  if (POSTGRES_SCHEME.test(text)) {
    const parsed = postgresUrlSchema.safeParse(text);
    if (!parsed.success) throw new UserError(`bad database URL ${redactPassword(text)}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return { dialect: 'postgres', url: parsed.data };
  }
  if (SQLITE_SCHEME.test(text)) return { dialect: 'sqlite', path: path.resolve(text.replace(SQLITE_SCHEME, '')) };
  if (ANY_SCHEME.test(text))
    throw new UserError(`unsupported database URL ${redactPassword(text)}: use a SQLite path (or sqlite:PATH) or postgres://user:pass@host:port/db`);
  return { dialect: 'sqlite', path: path.resolve(text) };
}

/** The URL with its password replaced by `***`, for messages and logs. */
export function redactPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

/** How a location is shown to people: the SQLite path, or the URL without its password. */
export function describeDbLocation(location: DbLocation): string {
  return location.dialect === 'sqlite' ? location.path : redactPassword(location.url);
}

/**
 * Whether `db` names a SQLite file that does not exist, which commands that only read refuse
 * with a hint rather than create. A PostgreSQL database is never "missing" here: connecting
 * says whether it is there.
 */
export function isMissingSqliteFile(db: string, exists: (file: string) => boolean): boolean {
  const location = parseDbLocation(db);
  return location.dialect === 'sqlite' && !exists(location.path);
}
