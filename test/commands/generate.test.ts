import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { registerGenerateCommand } from '../../src/commands/generate.js';
import { SYNTHETIC_FILES } from '../../src/data/synthetic/write-synthetic.js';

const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/synthetic');
const FIXTURE_FLAGS = ['--users', '300', '--items', '200', '--interactions', '6000', '--noise', '0.1', '--seed', '7', '--topics', '8'];
const work = mkdtempSync(path.join(tmpdir(), 'contrarec-generate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `contrarec generate` in-process, as the CLI would; returns what it printed. */
async function generate(out: string, flags: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerGenerateCommand(program);
  const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync(['generate', '--out', out, ...flags], { from: 'user' });
    return write.mock.calls.map((c) => String(c[0])).join('');
  } finally {
    write.mockRestore();
  }
}

const read = (dir: string, name: string) => readFileSync(path.join(dir, name));

describe('contrarec generate', () => {
  it('regenerates the committed fixture byte for byte', async () => {
    const out = path.join(work, 'fixture');
    const printed = await generate(out, FIXTURE_FLAGS);
    expect(printed).toBe(`wrote ${out}: 300 users, 200 items, 6000 interactions (600 noise), 8 topics, seed 7\n`);
    for (const name of SYNTHETIC_FILES) expect(read(out, name).equals(read(FIXTURE, name)), name).toBe(true);
  });

  it('gives identical bytes for the same seed and different ones for another', async () => {
    const flags = (seed: string) => ['--users', '50', '--items', '40', '--interactions', '600', '--noise', '0.2', '--seed', seed];
    await generate(path.join(work, 'a'), flags('3'));
    await generate(path.join(work, 'b'), flags('3'));
    await generate(path.join(work, 'c'), flags('4'));
    for (const name of SYNTHETIC_FILES) {
      expect(read(path.join(work, 'a'), name).equals(read(path.join(work, 'b'), name)), name).toBe(true);
    }
    expect(read(path.join(work, 'a'), 'interactions.csv').equals(read(path.join(work, 'c'), 'interactions.csv'))).toBe(false);
  });

  it('writes the headers the ingest recognises and joins tags with |', () => {
    const lines = (name: string) => read(FIXTURE, name).toString('utf8').trimEnd().split('\n');
    const inter = lines('interactions.csv');
    expect(inter[0]).toBe('user_id,item_id,timestamp,event');
    expect(inter.length).toBe(6001);
    expect(inter.slice(1).every((l) => /^u\d+,i\d+,\d{10},view$/.test(l))).toBe(true);
    const items = lines('items.csv');
    expect(items[0]).toBe('item_id,title,category,tags,price');
    expect(items.length).toBe(201);
    expect(items.slice(1).every((l) => /^i\d+,[A-Z][a-z]+ [a-z]+ \d+,[a-z]+,[a-z]+(\|[a-z]+){0,3},\d+\.\d\d$/.test(l))).toBe(true);
    expect(lines('users.csv')[0]).toBe('user_id,region,age');
    expect(lines('users.csv').length).toBe(301);
    const noise = lines('noise.csv');
    expect(noise[0]).toBe('user_id,item_id,timestamp');
    expect(noise.length).toBe(601);
    // Every noise row is one of the interactions (same user, item, timestamp).
    const all = new Set(inter.slice(1).map((l) => l.slice(0, -',view'.length)));
    expect(noise.slice(1).every((l) => all.has(l))).toBe(true);
  });

  it('rejects impossible flags with a message naming the flag', async () => {
    await expect(generate(path.join(work, 'bad'), ['--users', '300', '--interactions', '100'])).rejects.toThrow(
      '--interactions: 300 users need at least 1500 interactions (5 each), got 100',
    );
    await expect(generate(path.join(work, 'bad'), ['--users', 'abc'])).rejects.toThrow('--users: Invalid input: expected number, received NaN (got "abc")');
    await expect(generate(path.join(work, 'bad'), ['--users', '10', '--items', '20', '--interactions', '500'])).rejects.toThrow(
      '--interactions: 10 users × 20 items allow at most 100 interactions (10 per user), got 500',
    );
    await expect(generate(path.join(work, 'bad'), ['--topics', '600'])).rejects.toThrow('--topics: 600 topics need at least as many items, got 500');
  });
});
