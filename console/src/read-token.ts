import { h } from './dom.js';

/** sessionStorage key: the token lives as long as the tab, never in localStorage or a cookie. */
const STORAGE_KEY = 'contrarec.readToken';

/** The read token this tab was given, or null before it was asked for. */
export function storedReadToken(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

/** A small modal form asking for the token; resolves with it, or null when the person cancels. */
function tokenDialog(wrong: boolean): Promise<string | null> {
  return new Promise((resolve) => {
    const input = h('input', { type: 'password', id: 'read-token', name: 'token', autocomplete: 'off', required: true });
    const form = h(
      'form',
      { class: 'token-form' },
      h('h2', { id: 'read-token-h' }, 'Read token'),
      h('p', {}, 'This server asks for a token before it shows its data: the value of CONTRAREC_READ_TOKEN on the server. It is kept for this tab only.'),
      wrong && h('p', { class: 'error', role: 'alert' }, 'That token was refused; try again.'),
      h('label', { for: 'read-token' }, 'Token'),
      input,
      h(
        'div',
        { class: 'inline' },
        h('button', { type: 'submit' }, 'Continue'),
        h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close() }, 'Cancel'),
      ),
    );
    const dialog = h('dialog', { class: 'token-dialog', 'aria-labelledby': 'read-token-h' }, form);
    let token: string | null = null;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      token = input.value.trim() || null;
      dialog.close();
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(token);
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}

let asking: Promise<string | null> | undefined;

/**
 * Asks the person for the read token and keeps it for the session. Requests refused at the same
 * time (a page fetching several details at once) share one question rather than stacking dialogs.
 */
export function askReadToken(wrong: boolean): Promise<string | null> {
  asking ??= tokenDialog(wrong).then((token) => {
    asking = undefined;
    if (token === null) sessionStorage.removeItem(STORAGE_KEY);
    else sessionStorage.setItem(STORAGE_KEY, token);
    return token;
  });
  return asking;
}
