/**
 * Splits one CSV/TSV record into fields. Records without a double quote (the usual case, and
 * the hot path) are split natively; otherwise RFC 4180 quoting applies: a quoted field may hold
 * the delimiter, line breaks, and `""` inside it is one quote. Returns undefined for an
 * unterminated or misplaced quote. Which lines make up one record (a CSV quoted field may span
 * lines, a TSV one may not) is the reader's business: see `csv-records.ts`.
 *
 * @example
 *   splitDelimited('1,"a, b",3', ',')   // ['1', 'a, b', '3']
 *   splitDelimited('1,"a\nb",3', ',')   // ['1', 'a\nb', '3']
 */
export function splitDelimited(line: string, delimiter: string): string[] | undefined {
  if (!line.includes('"')) return line.split(delimiter);
  const out: string[] = [];
  let k = 0;
  for (;;) {
    if (line[k] === '"') {
      let value = '';
      let j = k + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) return undefined;
        value += line.slice(j, q);
        if (line[q + 1] === '"') {
          value += '"';
          j = q + 2;
          continue;
        }
        k = q + 1;
        break;
      }
      out.push(value);
      if (k === line.length) return out;
      if (line[k] !== delimiter) return undefined;
      k++;
    } else {
      const d = line.indexOf(delimiter, k);
      const field = line.slice(k, d < 0 ? line.length : d);
      if (field.includes('"')) return undefined;
      out.push(field);
      if (d < 0) return out;
      k = d + 1;
    }
  }
}
