import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { writeFileAtomically, writeFileAtomicallySync } from '../../src/common/atomic-write.js';
import { readJsonFile, readJsonFileSync } from '../../src/common/json-file.js';
import { UserError } from '../../src/common/user-error.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'contrarec-json-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const schema = z.object({ dim: z.int().min(1), ids: z.array(z.string()) });

describe('readJsonFile / readJsonFileSync', () => {
  it('reads a file through its schema, async and sync alike', async () => {
    const file = path.join(dir, 'good.json');
    writeFileSync(file, '{"dim": 4, "ids": ["a", "b"], "extra": true}');
    expect(await readJsonFile(file, schema)).toEqual({ dim: 4, ids: ['a', 'b'] });
    expect(readJsonFileSync(file, schema)).toEqual({ dim: 4, ids: ['a', 'b'] });
  });

  it('names the file in every error, as a UserError, with the hint on a missing one and the first bad field', async () => {
    const missing = path.join(dir, 'missing.json');
    await expect(readJsonFile(missing, schema, 'run `contrarec index`')).rejects.toThrow(`${missing}: not found (run \`contrarec index\`)`);
    expect(() => readJsonFileSync(missing, schema)).toThrow(new UserError(`${missing}: not found`));
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{"dim": 4,');
    expect(() => readJsonFileSync(broken, schema)).toThrow(`${broken}: not valid JSON (`);
    const wrong = path.join(dir, 'wrong.json');
    writeFileSync(wrong, '{"dim": 4, "ids": ["a", 7]}');
    await expect(readJsonFile(wrong, schema)).rejects.toThrow(`${wrong}: field "ids.1": Invalid input: expected string, received number`);
    writeFileSync(wrong, '[]');
    expect(() => readJsonFileSync(wrong, schema)).toThrow(`${wrong}: field "(root)": Invalid input: expected object, received array`);
  });
});

describe('writeFileAtomically / writeFileAtomicallySync', () => {
  it('replaces the file whole and leaves no temporary file beside it', async () => {
    const sub = mkdtempSync(path.join(dir, 'atomic-'));
    const file = path.join(sub, 'results.json');
    writeFileAtomicallySync(file, '"first"');
    await writeFileAtomically(file, '"second"');
    expect(readJsonFileSync(file, z.string())).toBe('second');
    writeFileAtomicallySync(file, '"third"');
    expect(readJsonFileSync(file, z.string())).toBe('third');
    expect(readdirSync(sub)).toEqual(['results.json']);
  });

  it('a failed write leaves the old file as it was and no temporary file', () => {
    const sub = mkdtempSync(path.join(dir, 'atomic-fail-'));
    const file = path.join(sub, 'x.json');
    writeFileAtomicallySync(file, '"old"');
    mkdirSync(path.join(sub, 'x.json.d'));
    // A folder cannot be replaced by a file: the rename fails after the temporary file was written.
    expect(() => writeFileAtomicallySync(path.join(sub, 'x.json.d'), '"new"')).toThrow(/EISDIR|ENOTEMPTY|EEXIST|EPERM/);
    expect(readJsonFileSync(file, z.string())).toBe('old');
    expect(readdirSync(sub).sort()).toEqual(['x.json', 'x.json.d']);
  });
});
