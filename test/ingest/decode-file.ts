import { DEFAULT_RECORD_RULES } from '../../src/ingest/record-rules.js';
import { encodeInteractionChunks } from '../../src/ingest/encode-interactions.js';
import { prepareFiles, type InputFormat } from '../../src/ingest/index.js';

/** One decoded interaction, with its strings looked up. */
export interface DecodedRow {
  readonly user: string;
  readonly item: string;
  readonly ts: number;
  readonly weight: number;
  readonly event: string;
}

/** One rejected record as the file reader reports it. */
export interface DecodedReject {
  readonly line: number;
  readonly raw: string;
  readonly reason: string;
}

/** What the file reader (byte path, string path, chunk carry-over) makes of interaction files, without a store. */
export async function decodeFiles(files: readonly string[], format?: InputFormat): Promise<{ rows: DecodedRow[]; rejects: DecodedReject[]; rowsRead: number }> {
  const prepared = await prepareFiles('interactions', files, { format });
  const users: string[] = [];
  const items: string[] = [];
  const events: string[] = [];
  const rows: DecodedRow[] = [];
  const rejects: DecodedReject[] = [];
  let rowsRead = 0;
  for await (const c of encodeInteractionChunks(prepared, {}, DEFAULT_RECORD_RULES)) {
    users.push(...c.newUsers);
    items.push(...c.newItems);
    events.push(...c.newEvents);
    for (let k = 0; k < c.count; k++)
      rows.push({ user: users[c.user[k]], item: items[c.item[k]], ts: c.ts[k], weight: c.weight[k], event: events[c.event[k]] });
    for (const r of c.rejects) rejects.push({ line: r.line, raw: r.raw, reason: r.reason });
    rowsRead += c.rowsRead;
  }
  return { rows, rejects, rowsRead };
}
