/**
 * One JSON Lines record as an object, or the reason it is none ('malformed JSON', 'not a JSON
 * object'): the first check of every JSON Lines reader (interactions and entity files).
 */
export function jsonLineObject(line: string): Record<string, unknown> | string {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    return 'malformed JSON';
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return 'not a JSON object';
  return obj as Record<string, unknown>;
}
