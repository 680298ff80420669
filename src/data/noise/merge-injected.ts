import type { InteractionColumns } from '../../store/interaction-log.js';

/**
 * Concatenates original and injected rows into fresh columns sorted by (ts, user, item), the
 * order `InteractionColumns` promises, with a mask marking the injected rows. The inputs are
 * only read.
 */
export function mergeInjected(train: InteractionColumns, extra: InteractionColumns): { interactions: InteractionColumns; injected: Uint8Array } {
  const n = train.user.length;
  const total = n + extra.user.length;
  const col = <T extends Int32Array | Float64Array | Float32Array>(a: T, b: T, make: new (n: number) => T): T => {
    const out = new make(total);
    out.set(a);
    out.set(b, n);
    return out;
  };
  const user = col(train.user, extra.user, Int32Array);
  const item = col(train.item, extra.item, Int32Array);
  const ts = col(train.ts, extra.ts, Float64Array);
  const weight = col(train.weight, extra.weight, Float32Array);
  const order = Array.from({ length: total }, (_, r) => r);
  order.sort((a, b) => ts[a] - ts[b] || user[a] - user[b] || item[a] - item[b] || a - b);
  const sorted = {
    user: new Int32Array(total),
    item: new Int32Array(total),
    ts: new Float64Array(total),
    weight: new Float32Array(total),
  };
  const injected = new Uint8Array(total);
  order.forEach((from, to) => {
    sorted.user[to] = user[from];
    sorted.item[to] = item[from];
    sorted.ts[to] = ts[from];
    sorted.weight[to] = weight[from];
    injected[to] = from >= n ? 1 : 0;
  });
  return { interactions: sorted, injected };
}
