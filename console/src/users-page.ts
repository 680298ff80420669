import { getJson, type TopK, type UserDetail } from './api.js';
import { h } from './dom.js';
import { featureTokens } from './feature-tokens.js';
import { dateTime, featureLine, featureList, itemLink } from './format.js';
import { rankedItems } from './items-page.js';
import { errorBox, show, showError, type Page } from './page.js';

const K = 10;
const HISTORY = 20;

function userForm(autofocus: boolean): HTMLElement {
  const input = h('input', {
    type: 'text',
    id: 'user-id',
    name: 'user',
    placeholder: 'user id, e.g. u1',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    autofocus,
  });
  return h(
    'form',
    { class: 'user-form', onsubmit: (e) => (e.preventDefault(), (location.hash = `#/users/${encodeURIComponent(input.value.trim())}`)) },
    h('label', { for: 'user-id' }, 'Open a user'),
    h('div', { class: 'inline' }, input, h('button', { type: 'submit' }, 'Open')),
  );
}

/** The Users start page: open a user by id. */
export function renderUserSearch(page: Page): void {
  const form = userForm(true);
  show(page, 'Users', h('p', { class: 'lead' }, "See a user's recent history beside what the model recommends to them."), form);
  form.querySelector('input')?.focus();
}

/** A user page: recent history (items, features, time) beside the top-k recommendations, seen items excluded. */
// eslint-disable-next-line max-lines-per-function -- a page built from the one answer it renders; its parts close over that answer
export async function renderUser(page: Page, id: string): Promise<void> {
  let user: UserDetail;
  try {
    user = await getJson<UserDetail>(`/console/api/users/${encodeURIComponent(id)}?history=${HISTORY}`);
  } catch (err) {
    return showError(page, `User ${id}`, err);
  }
  const historyTokens = new Set(user.recent.flatMap((r) => [...featureTokens(r.item.features)]));
  let recs: Node;
  if (!user.inModel)
    recs = h(
      'p',
      { class: 'note' },
      user.model === null ? 'No model is loaded yet.' : `Model ${user.model} has not seen this user (they arrived after training).`,
    );
  else {
    try {
      const answer = await getJson<TopK>(`/v1/users/${encodeURIComponent(id)}/recommendations?k=${K}&exclude_seen=true`);
      recs = await rankedItems(
        answer,
        `recommendations for user ${id}`,
        (item) => new Set([...featureTokens(item.features)].filter((t) => historyTokens.has(t))),
        'the history',
      );
    } catch (err) {
      recs = errorBox(err);
    }
  }
  const history = h(
    'ol',
    { class: 'history', 'aria-label': `recent history of user ${id}` },
    user.recent.map((r) =>
      h(
        'li',
        {},
        h(
          'div',
          { class: 'row' },
          itemLink(r.item),
          h('span', { class: 'when' }, h('time', { datetime: r.at ?? undefined }, dateTime(r.at)), r.event ? ` · ${r.event}` : null),
        ),
        featureLine(r.item.features),
      ),
    ),
  );
  show(
    page,
    `User ${user.id}`,
    h('div', { class: 'user-features' }, featureList(user.features), h('p', { class: 'muted' }, `${user.interactions} interactions in the store`)),
    // On a phone the history comes first and is long: one tap to the recommendations.
    h('button', { type: 'button', class: 'jump', onclick: () => document.getElementById('recs-h')?.focus() }, 'Jump to recommendations ↓'),
    h(
      'div',
      { class: 'columns' },
      h(
        'section',
        { 'aria-labelledby': 'history-h' },
        h('h2', { id: 'history-h' }, `Recent history (${user.recent.length} of ${user.interactions})`),
        h('p', { class: 'muted' }, 'Newest first.'),
        history,
      ),
      h(
        'section',
        { 'aria-labelledby': 'recs-h' },
        h('h2', { id: 'recs-h', tabindex: '-1' }, `Top ${K} recommendations`),
        h(
          'p',
          { class: 'muted' },
          "Best first by cosine similarity of the user's and the item's embeddings (only the order matters). Items already in the history are left out; highlighted features are shared with the history.",
        ),
        recs,
      ),
    ),
    userForm(false),
  );
}
