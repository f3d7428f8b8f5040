// The audit trail (admins only): who read or changed what, when and from where, newest first, filtered
// by person, customer, action and time, paged by the cursor the API hands out.

import { get } from './api.js';
import { el, fill, errorBox } from './dom.js';
import { fmtInt, fmtTime } from './format.js';
import { rangePicker, feedTable } from './feeds.js';

const FILTERS = [['actor', 'Person'], ['customer', 'Customer id'], ['action', 'Action, e.g. customer.history']];

/** One customer links to their view; a read of several (the overview's stream) shows how many, listed on hover. */
function customerCell(customer) {
  if (!customer) return '–';
  const all = customer.split(',');
  if (all.length === 1) return el('a', { href: '#/customer/' + encodeURIComponent(customer), text: customer });
  return el('span', { title: customer, text: `${fmtInt(all.length)} customers` });
}

export function mountAudit(root, app, params) {
  const inputs = Object.fromEntries(FILTERS.map(([name, label]) => [name, el('input', {
    id: 'audit-' + name, type: 'search', placeholder: label, value: params.get(name) || '', maxlength: 200,
    spellcheck: 'false', autocomplete: 'off', 'aria-label': label,
  })]));
  const range = rangePicker('24h');
  const body = el('tbody', { id: 'audit-body' });
  const more = el('button', { type: 'button', id: 'audit-more', text: 'Load more', hidden: true, onclick: () => load(false) });
  const status = el('p', { class: 'muted', id: 'audit-status' });
  const error = el('div');
  let cursor = null;
  let shown = 0;
  let disposed = false;

  fill(root, el('section', { class: 'panel' },
    el('div', { class: 'section-head' }, el('h1', { text: 'Audit trail' })),
    el('p', { class: 'muted', text: 'Every read of customers\u2019 data, every alert action, sign-in and change to people, '
      + 'newest first. Reading this page is recorded too; heartbeat audit verify checks the chain.' }),
    el('div', { class: 'toolbar' }, Object.values(inputs), range.nodes,
      el('button', { type: 'button', class: 'primary', id: 'audit-apply', text: 'Apply', onclick: () => load(true) })),
    error, status,
    feedTable(['Time', 'Person', 'Role', 'Action', 'Customer', 'Alert', 'Client', 'Outcome', '#Record'], body), more));

  for (const input of Object.values(inputs)) {
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') load(true); });
  }
  range.select.addEventListener('change', () => { if (range.select.value !== 'custom') load(true); });

  async function load(reset) {
    if (reset) { cursor = null; shown = 0; }
    const filters = Object.fromEntries(Object.entries(inputs).map(([name, input]) => [name, input.value.trim()]));
    try {
      const page = await get('audit', { ...filters, ...range.params(), limit: 100, cursor });
      if (disposed) return;
      fill(error);
      if (reset) body.replaceChildren();
      for (const r of page.items) {
        body.append(el('tr', { dataset: { outcome: r.outcome.split(':')[0] } },
          el('td', { text: fmtTime(r.at) }),
          el('td', { text: r.actor }),
          el('td', { class: 'muted', text: r.role }),
          el('td', {}, el('code', { text: r.action })),
          el('td', {}, customerCell(r.customer)),
          el('td', { class: 'muted', text: r.alert || '–' }),
          el('td', { class: 'muted', text: r.client }),
          el('td', {}, el('span', { class: 'outcome', text: r.outcome })),
          el('td', { class: 'num muted', text: fmtInt(r.seq) })));
      }
      shown += page.items.length;
      status.textContent = shown ? `Showing ${fmtInt(shown)}${page.next ? '' : ' (all)'}.` : 'No audit records match.';
      cursor = page.next;
      more.hidden = !cursor;
    } catch (e) {
      if (!disposed) fill(error, errorBox(e));
    }
  }

  load(true);
  return () => { disposed = true; };
}
