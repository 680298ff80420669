import { HttpError } from './http-error.js';

/**
 * Deepest nesting of arrays and objects a JSON body may have. The API's own bodies need 3
 * (`{"interactions": [{...}]}`, `{"features": {"tags": [...]}}`); the limit keeps every
 * recursive walk of a body (zod, `JSON.stringify`) far from the stack's end.
 */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Whether UTF-8 JSON text nests arrays and objects deeper than `max`, found in one pass over its
 * bytes (string contents skipped) before anything parses it: nothing recursive runs. Exact on
 * valid JSON; text that is not JSON gets an answer too, and the parse after it refuses that text
 * anyway. No byte of a multi-byte UTF-8 sequence is ASCII, so none is mistaken for a bracket.
 *
 * @example
 *   jsonDepthExceeds(Buffer.from('[[1]]'), 1) // true
 */
export function jsonDepthExceeds(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (b === OPEN_BRACKET || b === OPEN_BRACE) {
      if (++depth > max) return true;
    } else if (b === CLOSE_BRACKET || b === CLOSE_BRACE) depth--;
  }
  return false;
}

/** As UTF-8 bytes: a body in another charset body-parser accepts (UTF-16) is decoded first; one TextDecoder cannot read (UTF-32) is scanned as is, conservatively. */
function utf8Of(body: Buffer, charset: string | undefined): Uint8Array {
  if (charset === undefined || charset === 'utf-8' || charset === 'utf8') return body;
  try {
    return Buffer.from(new TextDecoder(charset).decode(body), 'utf8');
  } catch {
    return body;
  }
}

/**
 * body-parser's `verify` hook: throws a 400 naming the limit when the raw body nests deeper than
 * `max`, before the body is parsed or validated, so the request writes nothing.
 */
export function refuseDeepJson(max: number): (req: unknown, res: unknown, body: Buffer, charset: string | undefined) => void {
  return (_req, _res, body, charset) => {
    if (jsonDepthExceeds(utf8Of(body, charset), max)) {
      throw new HttpError(400, 'json_too_deep', `request body nests arrays and objects deeper than the limit of ${max} levels`);
    }
  };
}
