// The feeds across customers: anomalous readings and rejected messages, newest first, paged by
// the cursor the API hands out.

import { get } from './api.js';
import { el, fill, errorBox } from './dom.js';
import { LEVEL_LABEL, fmtInt, fmtTime } from './format.js';

const RANGES = [['1h', 'Last hour'], ['6h', 'Last 6 hours'], ['24h', 'Last 24 hours'], ['7d', 'Last 7 days'], ['custom', 'Custom…']];

/** A range selector with custom from/to inputs; params() gives the API parameters. */
export function rangePicker(initial) {
  const select = el('select', { class: 'range-select', 'aria-label': 'Time range' },
    RANGES.map(([v, label]) => el('option', { value: v, selected: v === initial }, label)));
  const from = el('input', { type: 'datetime-local', step: 1, 'aria-label': 'From', class: 'range-from' });
  const to = el('input', { type: 'datetime-local', step: 1, 'aria-label': 'To', class: 'range-to' });
  const custom = el('span', { class: 'custom-range inline', hidden: initial !== 'custom' }, from, to);
  select.addEventListener('change', () => { custom.hidden = select.value !== 'custom'; });
  return {
    nodes: [select, custom],
    select,
    params() {
      if (select.value !== 'custom') return { range: select.value };
      const iso = (input) => {
        const d = input.value ? new Date(input.value) : null;
        return d && !isNaN(d) ? d.toISOString() : input.value;
      };
      return { from: iso(from), to: iso(to) };
    },
  };
}

/** A table; a header written as '#Name' heads a numeric (right-aligned) column. */
export function feedTable(headers, body) {
  return el('table', { class: 'table' }, el('thead', {}, el('tr', {}, headers.map((h) => (h.startsWith('#')
    ? el('th', { class: 'num', text: h.slice(1) }) : el('th', { text: h }))))), body);
}

export function mountAnomalies(root, app, params) {
  const levelSelect = el('select', { id: 'anomaly-level', 'aria-label': 'Level' },
    el('option', { value: 'non_normal' }, 'All non-normal readings'),
    el('option', { value: 'critical' }, 'Critical only'),
    ['critical_high', 'high', 'elevated', 'low', 'critical_low'].map((l) => el('option', { value: l }, LEVEL_LABEL[l])));
  levelSelect.value = ['non_normal', 'critical', 'critical_high', 'high', 'elevated', 'low', 'critical_low']
    .includes(params.get('level')) ? params.get('level') : 'non_normal';
  const customerInput = el('input', {
    id: 'anomaly-customer', type: 'search', placeholder: 'Customer id (optional)', value: params.get('customer') || '',
    maxlength: 50, spellcheck: 'false', autocomplete: 'off', 'aria-label': 'Customer id',
  });
  const range = rangePicker('24h');
  const body = el('tbody', { id: 'anomalies-body' });
  const more = el('button', { type: 'button', id: 'anomalies-more', text: 'Load more', hidden: true, onclick: () => load(false) });
  const status = el('p', { class: 'muted', id: 'anomalies-status' });
  const error = el('div');
  let cursor = null;
  let shown = 0;
  let disposed = false;

  fill(root, el('section', { class: 'panel' },
    el('div', { class: 'section-head' }, el('h1', { text: 'Anomalies' })),
    el('p', { class: 'muted', text: 'Readings outside the normal band (60–100 bpm), newest first.' }),
    el('div', { class: 'toolbar' }, levelSelect, customerInput, range.nodes,
      el('button', { type: 'button', class: 'primary', id: 'anomalies-apply', text: 'Apply', onclick: () => load(true) })),
    error, status,
    feedTable(['Time', 'Customer', '#Heart rate', 'Level', 'Activity'], body), more));

  customerInput.addEventListener('keydown', (e) => { if (e.key === 'Enter') load(true); });
  levelSelect.addEventListener('change', () => load(true));
  range.select.addEventListener('change', () => { if (range.select.value !== 'custom') load(true); });

  async function load(reset) {
    if (reset) { cursor = null; shown = 0; }
    try {
      const page = await get('anomalies', {
        level: levelSelect.value, customer: customerInput.value.trim(), ...range.params(), limit: 50, cursor,
      });
      if (disposed) return;
      fill(error);
      if (reset) body.replaceChildren();
      for (const r of page.items) {
        body.append(el('tr', { dataset: { level: r.level } },
          el('td', { text: fmtTime(r.at) }),
          el('td', {}, el('a', { href: '#/customer/' + encodeURIComponent(r.customer), text: r.customer })),
          el('td', { class: 'num', text: r.heartRate + ' bpm' }),
          el('td', {}, el('span', { class: 'badge', dataset: { level: r.level }, text: LEVEL_LABEL[r.level] })),
          el('td', { text: r.activity })));
      }
      shown += page.items.length;
      status.textContent = shown ? `Showing ${fmtInt(shown)}${page.next ? '' : ' (all)'}.` : 'No anomalies in this range.';
      cursor = page.next;
      more.hidden = !cursor;
    } catch (e) {
      if (!disposed) fill(error, errorBox(e));
    }
  }

  load(true);
  return () => { disposed = true; };
}

export function mountRejects(root, app) {
  const reasonSelect = el('select', { id: 'reject-reason', 'aria-label': 'Reason' },
    el('option', { value: '' }, 'Every reason'),
    app.meta.rejectReasons.map((r) => el('option', { value: r }, r)));
  const range = rangePicker('24h');
  const body = el('tbody', { id: 'rejects-body' });
  const more = el('button', { type: 'button', id: 'rejects-more', text: 'Load more', hidden: true, onclick: () => load(false) });
  const status = el('p', { class: 'muted', id: 'rejects-status' });
  const error = el('div');
  let cursor = null;
  let shown = 0;
  let disposed = false;

  fill(root, el('section', { class: 'panel' },
    el('div', { class: 'section-head' }, el('h1', { text: 'Rejected messages' })),
    el('p', { class: 'muted', text: 'Messages that did not become readings, with the reason and the payload as received (shown as text).' }),
    el('div', { class: 'toolbar' }, reasonSelect, range.nodes,
      el('button', { type: 'button', class: 'primary', text: 'Apply', onclick: () => load(true) })),
    error, status,
    feedTable(['Received', 'Reason', 'Detail', 'Source', 'Payload'], body), more));

  reasonSelect.addEventListener('change', () => load(true));
  range.select.addEventListener('change', () => { if (range.select.value !== 'custom') load(true); });

  async function load(reset) {
    if (reset) { cursor = null; shown = 0; }
    try {
      const page = await get('rejects', { reason: reasonSelect.value, ...range.params(), limit: 50, cursor });
      if (disposed) return;
      fill(error);
      if (reset) body.replaceChildren();
      for (const r of page.items) {
        const size = r.payloadTruncated ? `${fmtInt(r.payloadBytes)} of ${fmtInt(r.payloadSize)} bytes kept` : `${fmtInt(r.payloadSize)} bytes`;
        body.append(el('tr', {},
          el('td', { text: fmtTime(r.receivedAt) }),
          el('td', {}, el('code', { class: 'reason', text: r.reason })),
          el('td', { text: r.detail }),
          el('td', { class: 'muted', text: `${r.topic}[${r.partition}] @ ${fmtInt(r.offset)}` }),
          el('td', {}, el('pre', { class: 'payload', text: r.payload }),
            el('span', { class: 'muted small', text: size + (r.payloadEncoding === 'base64' ? ', not UTF-8: base64' : '') }))));
      }
      shown += page.items.length;
      status.textContent = shown ? `Showing ${fmtInt(shown)}${page.next ? '' : ' (all)'}.` : 'No rejected messages in this range.';
      cursor = page.next;
      more.hidden = !cursor;
    } catch (e) {
      if (!disposed) fill(error, errorBox(e));
    }
  }

  load(true);
  return () => { disposed = true; };
}
