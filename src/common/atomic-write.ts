import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

// Same folder as the target, so the rename never crosses a file system; pid and random suffix,
// so concurrent writers of one target never share a temporary file.
function temporaryPathFor(target: string): string {
  return path.join(path.dirname(target), `.tmp-${path.basename(target)}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/**
 * Writes a file through a temp path in the same directory and renames it into place, so a
 * reader (a serving process loading the index) sees either the old file or the new one,
 * never a half-written one. `write` receives the temp path; the temp file is removed on failure.
 */
export async function writeAtomically(target: string, write: (tmpPath: string) => Promise<void>): Promise<void> {
  const tmp = temporaryPathFor(target);
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

/**
 * {@link writeFileAtomically} in one synchronous call, for writers whose successive versions of
 * a file must land in the order they were made (no other write can interleave).
 */
export function writeFileAtomicallySync(target: string, data: string | Uint8Array): void {
  const tmp = temporaryPathFor(target);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
