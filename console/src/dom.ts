/** What `h` accepts as children: nodes, text, nothing (skipped) or nested lists of those. */
export type Child = Node | string | number | null | undefined | false | readonly Child[];

/** Attribute values: `on*` functions become listeners, `true` a bare attribute, false/undefined nothing. */
export type Attrs = Readonly<Record<string, string | number | boolean | undefined | ((event: Event) => void)>>;

function append(parent: Node, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else parent.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/**
 * Builds an element (the console's only templating): `h('a', { href: '#/items/i1' }, 'Item 1')`.
 * Text children are text nodes, never HTML, so data from the API cannot inject markup.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (value === true) el.setAttribute(key, '');
    else if (value !== false && value !== undefined) el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

/** An SVG element with attributes (for the charts). */
export function svg(tag: string, attrs: Readonly<Record<string, string | number>> = {}, ...children: Node[]): SVGElement {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  for (const c of children) el.appendChild(c);
  return el;
}
