import { renderExperiments } from './experiments-page.js';
import { renderItem, renderItemSearch } from './items-page.js';
import { renderModel, renderModels } from './models-page.js';
import type { Page } from './page.js';
import { renderUser, renderUserSearch } from './users-page.js';

/**
 * The console's entry point: a hash router (`#/items`, `#/items/ID`, `#/users`, `#/users/ID`,
 * `#/models`, `#/models/VERSION`, `#/experiments`) that renders one page into `<main>` and marks
 * the current section in the navigation. Everything is read from the server's JSON API.
 */
const view = document.getElementById('view') as HTMLElement;
let navigation = 0;

function route(): void {
  const mine = ++navigation;
  const page: Page = { view, isCurrent: () => mine === navigation };
  const [section = 'items', ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const arg = rest.length > 0 ? decodeURIComponent(rest.join('/')) : undefined;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('nav a')) {
    if (link.dataset['section'] === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  view.setAttribute('aria-busy', 'true');
  const done = (): void => {
    if (page.isCurrent()) view.removeAttribute('aria-busy');
  };
  const render = {
    items: () => (arg === undefined ? renderItemSearch(page) : renderItem(page, arg)),
    users: () => (arg === undefined ? renderUserSearch(page) : renderUser(page, arg)),
    models: () => (arg === undefined ? renderModels(page) : renderModel(page, arg)),
    experiments: () => renderExperiments(page),
  }[section];
  if (render === undefined) {
    location.replace('#/items');
    return;
  }
  void Promise.resolve(render()).finally(done);
}

window.addEventListener('hashchange', route);
route();
