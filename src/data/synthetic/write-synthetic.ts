import { closeSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { csvField } from './csv-field.js';
import type { SyntheticDataset } from './generate-synthetic.js';

/** The files `writeSynthetic` creates in its output folder. */
export const SYNTHETIC_FILES = ['interactions.csv', 'items.csv', 'users.csv', 'noise.csv'] as const;

const CHUNK_ROWS = 20_000;

/**
 * Writes a data set as CSV files into `dir` (created if missing): `interactions.csv`
 * (`user_id,item_id,timestamp,event`, event `view`), `items.csv`
 * (`item_id,title,category,tags,price`, tags joined by `|`), `users.csv`
 * (`user_id,region,age`) and `noise.csv` (`user_id,item_id,timestamp` of the noise rows: ground
 * truth for analysis, never for training). Each file is written under a temporary name and
 * renamed into place, so a reader never sees half a file. Output is byte-for-byte a function
 * of the data set. `onProgress(rows)` is called as interaction rows are written.
 */
export function writeSynthetic(dir: string, data: SyntheticDataset, onProgress?: (rows: number) => void): void {
  mkdirSync(dir, { recursive: true });
  const { user, item, ts, noise } = data.interactions;
  const users = data.users;
  const items = data.items;
  const n = user.length;
  writeFile(dir, 'items.csv', 'item_id,title,category,tags,price', items.length, (i) =>
    [items[i].id, items[i].title, items[i].category, items[i].tags.join('|'), items[i].price.toFixed(2)].map(csvField).join(','),
  );
  writeFile(dir, 'users.csv', 'user_id,region,age', users.length, (u) => [users[u].id, users[u].region, users[u].age].map(csvField).join(','));
  const row = (r: number) => `${csvField(users[user[r]].id)},${csvField(items[item[r]].id)},${ts[r]}`;
  writeFile(dir, 'interactions.csv', 'user_id,item_id,timestamp,event', n, (r) => `${row(r)},view`, onProgress);
  const noiseRows = Int32Array.from(noise.keys()).filter((r) => noise[r] === 1);
  writeFile(dir, 'noise.csv', 'user_id,item_id,timestamp', noiseRows.length, (j) => row(noiseRows[j]));
}

function writeFile(dir: string, name: string, header: string, rows: number, line: (r: number) => string, onProgress?: (rows: number) => void): void {
  const target = path.join(dir, name);
  const temp = `${target}.tmp-${process.pid}`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, `${header}\n`);
    for (let start = 0; start < rows; start += CHUNK_ROWS) {
      const end = Math.min(rows, start + CHUNK_ROWS);
      const lines: string[] = [];
      for (let r = start; r < end; r++) lines.push(line(r));
      writeSync(fd, `${lines.join('\n')}\n`);
      onProgress?.(end);
    }
  } finally {
    closeSync(fd);
  }
  renameSync(temp, target);
}
