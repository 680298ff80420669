import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeDbLocation, parseDbLocation, redactPassword } from '../../src/common/db-location.js';
import { dataDirFor, modelsDirFor, resolveDbPath } from '../../src/common/paths.js';

describe('parseDbLocation', () => {
  it('reads a path or sqlite: URL as a SQLite file, resolved against the working directory', () => {
    expect(parseDbLocation('data/c.db')).toEqual({ dialect: 'sqlite', path: path.resolve('data/c.db') });
    expect(parseDbLocation('/tmp/x.db')).toEqual({ dialect: 'sqlite', path: '/tmp/x.db' });
    expect(parseDbLocation('sqlite:data/c.db')).toEqual({ dialect: 'sqlite', path: path.resolve('data/c.db') });
    expect(parseDbLocation('sqlite:///tmp/x.db')).toEqual({ dialect: 'sqlite', path: '/tmp/x.db' });
  });

  it('reads postgres:// and postgresql:// URLs as PostgreSQL', () => {
    expect(parseDbLocation('postgres://u:p@db.example:5433/rec')).toEqual({ dialect: 'postgres', url: 'postgres://u:p@db.example:5433/rec' });
    expect(parseDbLocation('postgresql://localhost/rec')).toEqual({ dialect: 'postgres', url: 'postgresql://localhost/rec' });
  });

  it('refuses a PostgreSQL URL without a database or host, and other schemes, never echoing the password', () => {
    expect(() => parseDbLocation('postgres://u:secret@host:5432')).toThrow(
      'bad database URL postgres://u:***@host:5432: a PostgreSQL URL needs a host and a database name: postgres://user:pass@host:port/db',
    );
    expect(() => parseDbLocation('mysql://u:secret@h/db')).toThrow(
      'unsupported database URL mysql://u:***@h/db: use a SQLite path (or sqlite:PATH) or postgres://user:pass@host:port/db',
    );
  });

  it('redacts only the password', () => {
    expect(redactPassword('postgres://u:p%40ss@h:1/d')).toBe('postgres://u:***@h:1/d');
    expect(redactPassword('postgres://u@h/d')).toBe('postgres://u@h/d');
    expect(describeDbLocation(parseDbLocation('postgres://u:p@h/d'))).toBe('postgres://u:***@h/d');
  });
});

describe('resolveDbPath and the local folders', () => {
  it('takes --db, else $CONTRAREC_DB, else ./data/contrarec.db; a URL stays a URL', () => {
    expect(resolveDbPath('postgres://h/d', {})).toBe('postgres://h/d');
    expect(resolveDbPath(undefined, { CONTRAREC_DB: 'postgres://h/e' })).toBe('postgres://h/e');
    expect(resolveDbPath(undefined, { CONTRAREC_DB: 'sqlite:x.db' })).toBe(path.resolve('x.db'));
    expect(resolveDbPath(undefined, {})).toBe(path.resolve('data/contrarec.db'));
  });

  it('keeps artifacts beside a SQLite file, and in ./data for a PostgreSQL database', () => {
    expect(modelsDirFor('/srv/rec/c.db')).toBe('/srv/rec/models');
    expect(dataDirFor('postgres://h/d')).toBe(path.resolve('data'));
    expect(modelsDirFor('postgres://u:***@h/d')).toBe(path.resolve('data/models'));
  });
});
