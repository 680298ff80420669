import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a file through a temp path in the same directory and renames it into place, so a
 * reader (a serving process loading the index) sees either the old file or the new one,
 * never a half-written one. `write` receives the temp path; the temp file is removed on failure.
 */
export async function writeAtomically(target: string, write: (tmpPath: string) => Promise<void>): Promise<void> {
  const tmp = path.join(path.dirname(target), `.tmp-${path.basename(target)}-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await write(tmp);
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** `writeAtomically` for data already in memory (JSON text, a Float32Array's bytes). */
export async function writeFileAtomically(target: string, data: string | Uint8Array): Promise<void> {
  await writeAtomically(target, (tmp) => writeFile(tmp, data));
}
