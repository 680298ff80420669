import type { FeatureValue, Features, Item } from './api.js';
import { h } from './dom.js';

/** Fields that name an item; shown as its title rather than as a feature. */
const NAME_FIELDS = ['title', 'name'];

/** What a person calls the item: its title or name feature, else its id. */
export function itemName(item: Pick<Item, 'id' | 'features'>): string {
  for (const f of NAME_FIELDS) if (typeof item.features[f] === 'string') return item.features[f];
  return item.id;
}

/** One feature value as text: lists joined, numbers shortened. */
export function featureText(value: FeatureValue): string {
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(2);
  return value;
}

/** Features as a compact definition list (name fields left out: they are the heading). */
export function featureList(features: Features, highlight: ReadonlySet<string> = new Set()): HTMLElement {
  const entries = Object.entries(features).filter(([k]) => !NAME_FIELDS.includes(k));
  if (entries.length === 0) return h('p', { class: 'muted' }, 'no features');
  return h(
    'dl',
    { class: 'features' },
    entries.map(([k, v]) => [
      h('dt', {}, k),
      h(
        'dd',
        {},
        Array.isArray(v)
          ? v.map((t, i) => [i > 0 ? ', ' : '', highlight.has(`${k}=${t}`) ? h('mark', {}, t) : t])
          : highlight.has(`${k}=${featureText(v)}`)
            ? h('mark', {}, featureText(v))
            : featureText(v),
      ),
    ]),
  );
}

/** A cosine score, labelled (only the order within one list matters, not the absolute value). */
export function scoreCell(score: number): HTMLElement {
  return h(
    'span',
    { class: 'score', title: `cosine similarity ${score.toFixed(4)}` },
    h('span', { class: 'label' }, 'score '),
    h('span', { class: 'num' }, score.toFixed(3)),
  );
}

/**
 * Features on one line for lists (`category trouklar · tags a, b · price 86.37`), the tokens in
 * `highlight` (`field=value`) marked.
 */
export function featureLine(features: Features, highlight: ReadonlySet<string> = new Set()): HTMLElement {
  const entries = Object.entries(features).filter(([k]) => !NAME_FIELDS.includes(k));
  const value = (k: string, v: string): Node | string => (highlight.has(`${k}=${v}`) ? h('mark', {}, v) : v);
  return h(
    'p',
    { class: 'feat-line' },
    entries.map(([k, v], i) => [
      i > 0 ? ' · ' : '',
      h('span', { class: 'k' }, k),
      ' ',
      Array.isArray(v) ? v.map((t, j) => [j > 0 ? ', ' : '', value(k, t)]) : value(k, featureText(v)),
    ]),
  );
}

/** An ISO time as `2026-11-28 15:58 UTC` (or an em dash). */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** A link to an item's page, labelled with its name and id. */
export function itemLink(item: Pick<Item, 'id' | 'features'>): HTMLElement {
  const name = itemName(item);
  return h(
    'a',
    { href: `#/items/${encodeURIComponent(item.id)}`, class: 'item-link' },
    name,
    name === item.id ? null : h('span', { class: 'id' }, ` ${item.id}`),
  );
}

/** A metric value for tables: integers as they are, else 4 decimals; an em dash when absent. */
export function metricText(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  return Number.isInteger(value) ? String(value) : Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(4);
}
