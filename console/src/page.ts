import { ApiError } from './api.js';
import { h, type Child } from './dom.js';

/** What a page renders into; `isCurrent()` turns false once the person navigated elsewhere. */
export interface Page {
  readonly view: HTMLElement;
  isCurrent(): boolean;
}

/** Replaces the view with a page: its heading (focused, for keyboard and screen-reader users) and body. */
export function show(page: Page, title: string, ...body: Child[]): void {
  if (!page.isCurrent()) return;
  document.title = `${title} · contrarec console`;
  const heading = h('h1', { tabindex: '-1' }, title);
  page.view.replaceChildren(heading, h('div', { class: 'page' }, body));
  heading.focus({ preventScroll: true });
}

/** An error from the API (or the network) as a visible alert with the server's message. */
export function errorBox(err: unknown): HTMLElement {
  const message = err instanceof ApiError ? `${err.message} (HTTP ${err.status})` : err instanceof Error ? err.message : String(err);
  return h('p', { class: 'error', role: 'alert' }, message);
}

/** Shows the error in place of the page. */
export function showError(page: Page, title: string, err: unknown): void {
  show(page, title, errorBox(err));
}
