/**
 * `value` as PostgreSQL can store it: its text types cannot hold NUL, which SQLite stores as
 * given, so each NUL becomes U+FFFD (as invalid UTF-8 is shown). Used for what is written as
 * given from the input: rejected lines, event names, feature JSON (whose `\u0000` escapes `jsonb`
 * refuses).
 */
export function postgresText(value: string): string {
  return value.includes('\0') ? value.replaceAll('\0', '\uFFFD') : value;
}

/** Feature JSON as PostgreSQL's `jsonb` reads it: the `\u0000` escape of a NUL becomes U+FFFD. */
export function postgresJson(json: string): string {
  return json.includes('\\u0000') ? json.replaceAll('\\u0000', '\\ufffd') : json;
}
