import { describe, expect, it } from 'vitest';
import { trainConfigFromFlags } from '../../src/commands/train.js';

const base = { logq: true, history: true, refit: true };

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
      shareHistoryTable: true,
      backend: 'cpu',
    });
    expect(r.train).toEqual({ loss: 'bce', itemSslWeight: 0.3, userSslWeight: 0.05, temperature: 0.2, globalNegatives: 512, epochs: 3, seed: 9 });
    expect(r.model).toEqual({ hiddenSizes: [64, 32], fieldCombiner: 'sum', shareHistoryTable: true });
    expect(r.backend).toBe('cpu');
    expect(trainConfigFromFlags({ logq: false, history: false, refit: false })).toEqual({
      train: { logQ: false, refit: false },
      model: { useHistory: false },
      backend: 'auto',
    });
  });

  it('maps the robust-training flags', () => {
    const r = trainConfigFromFlags({
      ...base,
      rinceQ: '0.5',
      rinceLambda: '0.025',
      historyDropout: '0.2',
      historyViewDropout: 'edges',
      agreementSharpness: '5',
      positiveWeight: 'log',
    });
    expect(r.train).toEqual({
      rinceQ: 0.5,
      rinceLambda: 0.025,
      historyDropoutRate: 0.2,
      historyViewDropout: 'edges',
      agreementSharpness: 5,
      positiveWeighting: 'log',
    });
    expect(trainConfigFromFlags({ ...base, reweightBeta: '0.25' }).train).toEqual({ reweightBeta: 0.25 });
    expect(trainConfigFromFlags({ ...base, historyInsert: '0.1' }).train).toEqual({ historyInsertRate: 0.1 });
    expect(() => trainConfigFromFlags({ ...base, historyInsert: '1.5' })).toThrow(/^bad training option: historyInsertRate: /);
    expect(trainConfigFromFlags({ ...base, temperature: '0.2', adaptiveTemperature: true }).train).toEqual({ temperature: 0.2, adaptiveTemperature: true });
    expect(trainConfigFromFlags({ ...base, rinceQ: '0.1', rinceLambda: '1', rinceRelative: true }).train).toEqual({
      rinceQ: 0.1,
      rinceLambda: 1,
      rinceRelative: true,
    });
    expect(() => trainConfigFromFlags({ ...base, rinceQ: '1.5' })).toThrow(/^bad training option: rinceQ: /);
    expect(() => trainConfigFromFlags({ ...base, historyViewDropout: 'nodes' })).toThrow(/^bad training option: historyViewDropout: /);
    expect(() => trainConfigFromFlags({ ...base, positiveWeight: 'sqrt' })).toThrow(/^bad training option: positiveWeighting: /);
    expect(() => trainConfigFromFlags({ ...base, loss: 'bce', rinceQ: '0.5' })).toThrow(
      '--rince-q: RINCE replaces the softmax loss; it cannot be used with --loss bce',
    );
    expect(() => trainConfigFromFlags({ ...base, loss: 'bce', reweightBeta: '0.25' })).toThrow(
      '--reweight-beta: the reweighted loss weighs rows by their softmax probability; it cannot be used with --loss bce',
    );
    expect(() => trainConfigFromFlags({ ...base, rinceQ: '0.1', reweightBeta: '0.25' })).toThrow('it cannot be used with --rince-q');
    expect(() => trainConfigFromFlags({ ...base, rinceRelative: true })).toThrow('--rince-relative: it changes RINCE, which is on only with --rince-q above 0');
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
