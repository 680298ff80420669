import { describe, expect, it } from 'vitest';
import { formatModelList } from '../../src/commands/models.js';
import type { ModelRecord } from '../../src/store/index.js';

const AT = Date.UTC(2026, 2, 1, 3, 0) / 1000;
const record = (version: string, status: ModelRecord['status'], metrics: unknown, reason: string | null = null): ModelRecord => ({
  version,
  status,
  createdAt: AT,
  finishedAt: AT,
  dataFrom: null,
  dataTo: AT,
  config: {},
  metrics,
  artifactDir: null,
  reason,
});

describe('formatModelList', () => {
  it("shows the model's recall beside the most-popular ranking's, from the gate when there is one, else from training", () => {
    const table = formatModelList([
      // A retrain refused by the popularity floor: both figures from its gate.
      record(
        'v3',
        'failed',
        {
          'recall@20': 0.05,
          mostPop: { 'recall@20': 0.11, 'ndcg@20': 0.07 },
          gate: {
            k: 20,
            candidate: { recall: 0.024 },
            mostPop: { recall: 0.152, ndcg: 0.09, users: 100 },
            versusActive: { difference: -0.2623, standardError: 0.0312, users: 100 },
          },
        },
        'gate: recall@20 0.0240 < most-popular 0.1520 − 2 × SE 0.0101 on the same hold-out (100 users)',
      ),
      // A plain `contrarec train`: the trainer's validation figures.
      record('v2', 'active', { 'recall@20': 0.2863, mostPop: { 'recall@20': 0.1018, 'ndcg@20': 0.06 } }),
      // Registered before the most-popular figure existed.
      record('v1', 'retired', { 'recall@20': 0.25 }),
    ]);
    expect(table.split('\n')).toEqual([
      'VERSION  STATUS   CREATED (UTC)     DATA UNTIL        RECALL  MOST-POP@20  VS ACTIVE ± SE    REASON',
      'v3       failed   2026-03-01 03:00  2026-03-01 03:00  0.0240  0.1520       -0.2623 ± 0.0312  gate: recall@20 0.0240 < most-popular 0.1520 − 2 × SE 0.0101 on the same hold-out (100 users)',
      'v2       active   2026-03-01 03:00  2026-03-01 03:00  0.2863  0.1018       -',
      'v1       retired  2026-03-01 03:00  2026-03-01 03:00  0.2500  -            -',
    ]);
  });

  it('falls back to the training figure at 20 when the gate ran at another K', () => {
    const table = formatModelList([
      record('v1', 'ready', {
        'recall@20': 0.3,
        mostPop: { 'recall@20': 0.1, 'ndcg@20': 0.05 },
        gate: { k: 10, candidate: { recall: 0.2 }, mostPop: { recall: 0.07, ndcg: 0.04, users: 9 } },
      }),
    ]);
    expect(table.split('\n')[1]).toMatch(/\s0\.2000\s+0\.1000\s+-$/);
  });

  it('shows dashes for a model without metrics (still training, or failed in training)', () => {
    expect(formatModelList([record('v1', 'training', null)]).split('\n')[1]).toMatch(/^v1\s+training\s+.*\s-\s+-\s+-$/);
  });
});
