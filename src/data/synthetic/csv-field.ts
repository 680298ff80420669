/**
 * One CSV field (RFC 4180): quoted, with inner quotes doubled, when it contains a comma, a
 * quote or a line break; as is otherwise.
 */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
