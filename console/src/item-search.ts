import { getJson, type Item } from './api.js';
import { h } from './dom.js';
import { featureText, itemName } from './format.js';

let instances = 0;

/**
 * A type-ahead item search (ARIA combobox): suggestions by id prefix or title as one types;
 * ArrowDown/ArrowUp move through them, Enter opens the highlighted one (or the first), Escape
 * closes the list. Answers that arrive after a newer keystroke are dropped.
 */
// eslint-disable-next-line max-lines-per-function -- a DOM component whose event handlers close over the same elements
export function itemSearch(onChoose: (item: Item) => void, autofocus = false): HTMLElement {
  const n = ++instances;
  const listId = `search-list-${n}`;
  const input = h('input', {
    type: 'search',
    id: `search-${n}`,
    role: 'combobox',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': listId,
    placeholder: 'item id or title, e.g. i12 or “gourox”',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const list = h('ul', { id: listId, role: 'listbox', class: 'suggestions', hidden: true, 'aria-label': 'matching items' });
  const status = h('p', { class: 'muted search-status', 'aria-live': 'polite' });
  let items: Item[] = [];
  let active = -1;
  let seq = 0;
  let timer: number | undefined;

  const highlight = (i: number): void => {
    active = i;
    [...list.children].forEach((li, k) => li.setAttribute('aria-selected', String(k === i)));
    if (i >= 0) {
      input.setAttribute('aria-activedescendant', `${listId}-${i}`);
      list.children[i].scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  const close = (): void => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    highlight(-1);
  };
  const render = (): void => {
    list.replaceChildren(
      ...items.map((item, i) => {
        const extra = Object.entries(item.features)
          .filter(([k]) => k !== 'title' && k !== 'name')
          .slice(0, 2)
          .map(([, v]) => featureText(v))
          .join(' · ');
        return h(
          'li',
          { id: `${listId}-${i}`, role: 'option', 'aria-selected': 'false', onmousedown: (e) => (e.preventDefault(), onChoose(item)) },
          h('span', { class: 'name' }, itemName(item)),
          ' ',
          h('span', { class: 'id' }, item.id),
          extra ? h('span', { class: 'extra' }, extra) : null,
        );
      }),
    );
    list.hidden = items.length === 0;
    input.setAttribute('aria-expanded', String(items.length > 0));
    highlight(items.length > 0 ? 0 : -1);
  };
  const search = async (): Promise<void> => {
    const q = input.value.trim();
    const mine = ++seq;
    if (q === '') {
      items = [];
      status.textContent = '';
      return render();
    }
    try {
      const res = await getJson<{ items: Item[] }>(`/console/api/items?q=${encodeURIComponent(q)}&limit=8`);
      if (mine !== seq) return;
      items = res.items;
      status.textContent =
        items.length === 0 ? `no item matches “${q}”` : `${items.length} match${items.length === 1 ? '' : 'es'} — ↑ ↓ to choose, Enter to open`;
      render();
    } catch (err) {
      if (mine === seq) status.textContent = err instanceof Error ? err.message : String(err);
    }
  };
  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void search(), 120);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && items.length > 0) {
      e.preventDefault();
      if (list.hidden) render();
      else highlight((active + 1) % items.length);
    } else if (e.key === 'ArrowUp' && items.length > 0) {
      e.preventDefault();
      highlight(active <= 0 ? items.length - 1 : active - 1);
    } else if (e.key === 'Enter' && items.length > 0 && !list.hidden) {
      e.preventDefault();
      onChoose(items[Math.max(0, active)]);
    } else if (e.key === 'Escape') close();
  });
  input.addEventListener('blur', close);
  if (autofocus) queueMicrotask(() => input.focus());
  return h('div', { class: 'search', role: 'search' }, h('label', { for: input.id }, 'Search items'), input, list, status);
}
