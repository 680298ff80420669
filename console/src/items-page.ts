import { getJson, type Item, type ItemDetail, type TopK } from './api.js';
import { h } from './dom.js';
import { featureLine, featureList, itemLink, itemName, scoreCell } from './format.js';
import { featureTokens } from './feature-tokens.js';
import { itemSearch } from './item-search.js';
import { errorBox, show, showError, type Page } from './page.js';

/** How many similar items the item page lists. */
const K = 10;

const openItem = (item: Item): void => {
  location.hash = `#/items/${encodeURIComponent(item.id)}`;
};

/** The Items start page: the type-ahead search. */
export function renderItemSearch(page: Page): void {
  show(
    page,
    'Items',
    h('p', { class: 'lead' }, 'Find an item by its id or its title, then see the items the model places nearest to it.'),
    itemSearch(openItem, true),
  );
}

/**
 * Top-k hits with the items' features, best first, as a ranked list of links. `shared` gives the
 * feature tokens (`field=value`) an item shares with something (the item on the page, a user's
 * history): they are highlighted and, with `sharedWith`, the item is marked.
 */
export async function rankedItems(answer: TopK, label: string, shared?: (item: Item) => ReadonlySet<string>, sharedWith?: string): Promise<HTMLElement> {
  const ids = answer.items.map((i) => i.id);
  const { items } =
    ids.length === 0 ? { items: [] as Item[] } : await getJson<{ items: Item[] }>(`/console/api/items?ids=${ids.map(encodeURIComponent).join(',')}`);
  const byId = new Map(items.map((i) => [i.id, i]));
  return h(
    'ol',
    { class: 'ranked', 'aria-label': label },
    answer.items.map((hit) => {
      const item = byId.get(hit.id) ?? { id: hit.id, features: {}, deleted: false };
      const common = shared?.(item) ?? new Set<string>();
      const marked = sharedWith !== undefined && common.size > 0;
      const badge = marked
        ? h('span', { class: 'badge shares', title: [...common].join(', ') }, `shares ${common.size} feature${common.size === 1 ? '' : 's'} with ${sharedWith}`)
        : null;
      return h(
        'li',
        { class: marked ? 'shares' : undefined },
        h('div', { class: 'row' }, itemLink(item), scoreCell(hit.score)),
        featureLine(item.features, common),
        badge,
      );
    }),
  );
}

/** An item page: its features, then its top-k similar items with scores and features. */
export async function renderItem(page: Page, id: string): Promise<void> {
  let item: ItemDetail;
  try {
    item = await getJson<ItemDetail>(`/console/api/items/${encodeURIComponent(id)}`);
  } catch (err) {
    return showError(page, `Item ${id}`, err);
  }
  let similar: Node;
  if (!item.inModel)
    similar = h(
      'p',
      { class: 'note' },
      item.model === null
        ? 'No model is loaded yet: train one with `contrarec train`.'
        : `Model ${item.model} has not seen this item (it arrived after training), so it has no neighbours yet.`,
    );
  else {
    try {
      const answer = await getJson<TopK>(`/v1/items/${encodeURIComponent(id)}/similar?k=${K}`);
      const own = featureTokens(item.features);
      similar = await rankedItems(
        answer,
        `items similar to ${itemName(item)}`,
        (other) => new Set([...featureTokens(other.features)].filter((t) => own.has(t))),
      );
    } catch (err) {
      similar = errorBox(err);
    }
  }
  show(
    page,
    itemName(item),
    h('p', { class: 'subtitle' }, `item ${item.id}`, item.deleted ? h('span', { class: 'badge failed' }, 'removed') : null),
    h('section', { 'aria-labelledby': 'features-h' }, h('h2', { id: 'features-h' }, 'Features'), featureList(item.features)),
    h(
      'section',
      { 'aria-labelledby': 'similar-h' },
      h('h2', { id: 'similar-h' }, `Top ${K} similar items`),
      h(
        'p',
        { class: 'muted' },
        `Nearest first, by cosine similarity of the item embeddings (model ${item.model ?? '—'}). Highlighted: features shared with this item.`,
      ),
      similar,
    ),
    h('div', { class: 'search-again' }, itemSearch(openItem)),
  );
}
