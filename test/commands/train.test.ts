import { describe, expect, it } from 'vitest';
import { trainConfigFromFlags } from '../../src/commands/train.js';

const base = { logq: true, history: true };

describe('contrarec train flags', () => {
  it('maps flags onto the configs; --ssl-weight sets both SSL weights unless overridden', () => {
    const r = trainConfigFromFlags({
      ...base,
      loss: 'bce',
      sslWeight: '0.3',
      userSslWeight: '0.05',
      temperature: '0.2',
      globalNegatives: '512',
      epochs: '3',
      seed: '9',
      hidden: '64,32',
      fieldCombiner: 'sum',
      backend: 'cpu',
    });
    expect(r.train).toEqual({ loss: 'bce', itemSslWeight: 0.3, userSslWeight: 0.05, temperature: 0.2, globalNegatives: 512, epochs: 3, seed: 9 });
    expect(r.model).toEqual({ hiddenSizes: [64, 32], fieldCombiner: 'sum' });
    expect(r.backend).toBe('cpu');
    expect(trainConfigFromFlags({ logq: false, history: false })).toEqual({ train: { logQ: false }, model: { useHistory: false }, backend: 'auto' });
  });

  it('rejects bad values with a message naming the flag', () => {
    expect(() => trainConfigFromFlags({ ...base, temperature: 'warm' })).toThrow("--temperature: expected a number, got 'warm'");
    expect(() => trainConfigFromFlags({ ...base, backend: 'gpu' })).toThrow(
      "--backend: expected one of auto, tensorflow-gpu, tensorflow, wasm, cpu, got 'gpu'",
    );
    expect(() => trainConfigFromFlags({ ...base, fieldCombiner: 'mean' })).toThrow("--field-combiner: expected one of concat, sum, got 'mean'");
    expect(() => trainConfigFromFlags({ ...base, loss: 'hinge' })).toThrow(/^bad training option: loss: /);
    expect(() => trainConfigFromFlags({ ...base, epochs: '0' })).toThrow(/^bad training option: epochs: /);
  });
});
