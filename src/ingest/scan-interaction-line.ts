import type { InteractionColumnMap } from './columns.js';
import { validateInteractionInto, type MutableInteractionRow } from './interaction-row.js';
import type { RecordRules } from './record-rules.js';
import { splitDelimited } from './split-delimited.js';

/**
 * Reads one CSV/TSV/atomic interaction record (one line, or for CSV several, when a quoted
 * field holds line breaks) into `out` and validates it; returns undefined
 * when the row is good, else the reject reason. The hot path of file ingest: a line without
 * quotes is scanned with `indexOf` and only the mapped columns are sliced (no field array);
 * a quoted line goes through {@link splitDelimited}. Both end in the same validation. An
 * absent column (index -1) is never matched, so its field stays undefined: no time column
 * means an untimed row. `rules` are the record's domain rules ({@link RecordRules}).
 */
export function scanInteractionLine(
  line: string,
  delimiter: string,
  width: number,
  c: InteractionColumnMap,
  rules: RecordRules,
  out: MutableInteractionRow,
): string | undefined {
  if (line.includes('"')) {
    const cells = splitDelimited(line, delimiter);
    if (cells === undefined) return 'unbalanced quotes';
    if (cells.length !== width) return `expected ${width} fields, found ${cells.length}`;
    return validateInteractionInto(out, rules, cells[c.user], cells[c.item], at(cells, c.time), at(cells, c.rating), at(cells, c.event), at(cells, c.weight));
  }
  let user: string | undefined;
  let item: string | undefined;
  let time: string | undefined;
  let rating: string | undefined;
  let weight: string | undefined;
  let event: string | undefined;
  let start = 0;
  let field = 0;
  for (;;) {
    let end = line.indexOf(delimiter, start);
    const last = end < 0;
    if (last) end = line.length;
    if (field === c.user) user = line.slice(start, end);
    else if (field === c.item) item = line.slice(start, end);
    else if (field === c.time) time = line.slice(start, end);
    else if (field === c.rating) rating = line.slice(start, end);
    else if (field === c.weight) weight = line.slice(start, end);
    else if (field === c.event) event = line.slice(start, end);
    field++;
    if (last) break;
    start = end + 1;
  }
  if (field !== width) return `expected ${width} fields, found ${field}`;
  return validateInteractionInto(out, rules, user, item, time, rating, event, weight);
}

function at(cells: readonly string[], k: number): string | undefined {
  return k >= 0 ? cells[k] : undefined;
}
