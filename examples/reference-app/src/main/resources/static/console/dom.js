// A few DOM helpers: elements from tags, tables from rows, forms read as objects.

/** An element: `h('button.primary', {onclick}, 'Save')`. */
export function h(spec, attrs = {}, ...children) {
  const [tag, ...classes] = spec.split('.');
  const node = document.createElement(tag);
  if (classes.length) node.className = classes.join(' ');
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'value') node.value = value;
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A table of `rows` with `columns`: [header, row => cell] pairs; `onpick(row)` makes rows clickable. */
export function table(rows, columns, onpick, testid) {
  const body = rows.map((row) => h('tr', onpick ? { onclick: () => onpick(row), class: 'pick' } : {},
    columns.map(([, cell]) => h('td', {}, cell(row)))));
  return h('table', { 'data-testid': testid },
    h('thead', {}, h('tr', {}, columns.map(([name]) => h('th', {}, name)))),
    h('tbody', {}, rows.length ? body : h('tr', {}, h('td.empty', { colspan: columns.length }, 'Nothing yet'))));
}

/**
 * A list read a page at a time through the API's cursor paging: `fetchPage(cursor)` answers one page ({items,
 * nextCursor}; the first page for an undefined cursor), `render(items)` draws its rows. "Next page" follows
 * nextCursor, "Previous page" goes back the way it came; `guard(work)` runs a click's work and shows its failure.
 * `first()` shows the first page, its promise settling once the page is drawn.
 */
export function pager(name, fetchPage, render, guard) {
  const node = h('div.pager', { 'data-pager': name });
  // `before`: the cursors of the pages shown before this one, the first page's undefined.
  async function show(cursor, before) {
    const page = await fetchPage(cursor);
    node.replaceChildren(render(page.items), h('div.paging', {},
      h('button', { type: 'button', 'data-paging': 'previous', disabled: !before.length,
        onclick: () => guard(() => show(before[before.length - 1], before.slice(0, -1))) }, 'Previous page'),
      h('span', { 'data-paging': 'page' }, `Page ${before.length + 1}`),
      h('button', { type: 'button', 'data-paging': 'next', disabled: !page.nextCursor,
        onclick: () => guard(() => show(page.nextCursor, [...before, cursor])) }, 'Next page')));
  }
  return { node, first: () => show(undefined, []) };
}

/** A form whose submit hands `onsubmit` the named fields' values (checkbox groups as arrays). */
export function form(attrs, fields, label, onsubmit) {
  const node = h('form', attrs, fields, h('button', { type: 'submit' }, label));
  node.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = {};
    for (const input of node.querySelectorAll('[name]')) {
      if (input.type === 'checkbox') {
        values[input.name] = values[input.name] || [];
        if (input.checked) values[input.name].push(input.value);
      } else if (input.value !== '') {
        values[input.name] = input.value;
      }
    }
    await onsubmit(values, node);
  });
  return node;
}

/** A labelled input. */
export function field(label, attrs) {
  return h('label', {}, h('span', {}, label), attrs.options
    ? h('select', { name: attrs.name }, attrs.options.map((o) => h('option', { value: o }, o || '(any)')))
    : h('input', attrs));
}

/** `n` and the noun for it: count(1, 'attempt') is "1 attempt", count(2, 'attempt') "2 attempts". */
export const count = (n, one, many = one + 's') => `${n} ${Number(n) === 1 ? one : many}`;
export const time = (value) => (value ? new Date(value).toISOString().replace('T', ' ').slice(0, 19) : '');
export const pct = (value, digits = 1) => (value === null || value === undefined ? '–' : (value * 100).toFixed(digits) + ' %');
/** An attempt's request, as IRISX kept it: its URL, and its headers when opened (the endpoint's own by name). */
export const sentRequest = (attempt) => (attempt.requestUrl
  ? h('details', {}, h('summary', {}, attempt.requestUrl),
    h('pre', {}, Object.entries(attempt.requestHeaders || {}).map(([name, value]) => `${name}: ${value}`).join('\n')))
  : '');
export const pre = (text) => h('pre', {}, typeof text === 'string' ? pretty(text) : JSON.stringify(text, null, 2));

function pretty(text) {
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch { return text; }
}
