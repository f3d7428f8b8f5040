// Alerts: the active ones first on the overview, the history of one customer with provenance,
// acknowledging one and snoozing one (as the signed-in person). The active list is polled: alerts change when a
// batch is stored, and the store is what knows them (docs/api.md, Alerts: the store has no push).

import { get, post } from './api.js';
import { el, fill, errorBox } from './dom.js';
import { LEVEL_LABEL, fmtInt, fmtTime, fmtAgo, fmtDuration } from './format.js';

const ACTIVE_LIMIT = 20;
const STATE_LABEL = { firing: 'Firing', resolved: 'Resolved', pending: 'Pending' };

/** The API path of one alert: the id keeps its slashes (customer/rule/time), each part encoded. */
export function alertPath(id) {
  return 'alerts/' + id.split('/').map(encodeURIComponent).join('/');
}

/** A rule's settings in words: "high after 60 s · critical high after 10 s · resolves after 30 s · not during exercise". */
export function ruleSettings(rule) {
  const parts = rule.levels.map((l) => `${(LEVEL_LABEL[l.level] || l.level).toLowerCase()} after ${seconds(l.pendingSeconds)}`);
  parts.push('resolves after ' + seconds(rule.resolveAfterSeconds));
  if (rule.explainedBy.length) parts.push('not during ' + rule.explainedBy.join(', '));
  return parts.join(' · ');
}

function seconds(value) {
  return fmtDuration(value).trim();
}

function readingText(r) {
  return `${r.heartRate} bpm · ${fmtTime(r.at)}`;
}

let pending = null;

/**
 * Asks for confirmation in the page's dialog and acknowledges the alert; the server records the
 * signed-in person as its author. Resolves to the alert as stored
 * (with whichever acknowledgement came first), or null when the dialog was cancelled.
 */
export function acknowledge(alert) {
  if (pending) return pending;
  pending = new Promise((resolve) => {
    const dialog = document.getElementById('ack-dialog');
    const form = document.getElementById('ack-form');
    const error = document.getElementById('ack-error');
    const cancel = document.getElementById('ack-cancel');
    const submit = form.querySelector('button[type="submit"]');
    let done = false;
    const note = document.getElementById('ack-note');
    note.value = '';
    document.getElementById('ack-what').textContent = `${LEVEL_LABEL[alert.severity]} · ${alert.rule.name} · `
      + `${alert.customer} · since ${fmtTime(alert.firedAt)}`;
    error.hidden = true;
    error.textContent = '';

    const finish = (result) => {
      if (done) return;
      done = true;
      form.removeEventListener('submit', onSubmit);
      cancel.removeEventListener('click', onCancel);
      dialog.removeEventListener('close', onCancel);
      if (dialog.open) dialog.close();
      pending = null;
      resolve(result);
    };
    const onCancel = () => finish(null);
    const onSubmit = async (event) => {
      event.preventDefault();
      submit.disabled = true;
      try {
        finish(await post(alertPath(alert.id) + '/ack', note.value.trim() ? { note: note.value.trim() } : {}));
      } catch (e) {
        error.textContent = e.message;
        error.hidden = false;
      } finally {
        submit.disabled = false;
      }
    };
    form.addEventListener('submit', onSubmit);
    cancel.addEventListener('click', onCancel);
    dialog.addEventListener('close', onCancel);
    dialog.showModal();
    submit.focus();
  });
  return pending;
}

/** Who acknowledged and when, or an Acknowledge button; onDone(alert) hears the stored alert. */
export function ackCell(alert, onDone) {
  const cell = el('span', { class: 'alert-ack' });
  const show = (a) => {
    const ack = a.acknowledgement;
    if (ack) {
      fill(cell, el('span', { class: 'acked', title: 'Acknowledged ' + new Date(ack.at).toISOString() + (ack.note ? ': ' + ack.note : '') },
        '✓ ', el('span', { class: 'acked-by', text: ack.by }), el('span', { class: 'muted', text: ' · ' + fmtTime(ack.at) }),
        ack.note ? el('span', { class: 'ack-note', text: ' · ' + ack.note }) : null));
    } else {
      fill(cell, el('button', {
        type: 'button', class: 'ack-button', text: 'Acknowledge',
        onclick: async () => {
          const stored = await acknowledge(a);
          if (!stored) return;
          show(stored);
          if (onDone) onDone(stored);
        },
      }));
    }
  };
  show(alert);
  return cell;
}

/** How long the inbox's snooze buttons mute an alert, in minutes. */
export const SNOOZE_MINUTES = [15, 30, 60];

/**
 * The alert's snooze state: a Muted badge while a silence mutes it, else one button per snooze length,
 * each making a silence of that customer and rule (docs/alerts.md, Silences); onDone() hears it made.
 */
export function snoozeCell(alert, onDone) {
  const cell = el('span', { class: 'alert-snooze' });
  if (alert.silencedBy) {
    fill(cell, el('span', { class: 'muted-badge', dataset: { silence: String(alert.silencedBy) },
      title: 'A silence mutes this alert: it is stored and shown, and sent when the silence ends if it still fires',
      text: 'Muted' }));
    return cell;
  }
  if (alert.severity.startsWith('critical')) {
    // a snooze never mutes a critical alert (only a silence that says so does): no button that would not
    fill(cell, el('span', { class: 'muted small', text: 'critical: pages until acknowledged' }));
    return cell;
  }
  const error = el('span', { class: 'error small', hidden: true });
  const buttons = SNOOZE_MINUTES.map((minutes) => el('button', {
    type: 'button', class: 'snooze-button', dataset: { minutes: String(minutes) }, text: minutes + 'm',
    title: `Snooze ${alert.customer}'s ${alert.rule.name} for ${minutes} minutes (an escalation to critical still pages)`,
    onclick: async () => {
      buttons.forEach((b) => { b.disabled = true; });
      try {
        await post('silences', {
          customer: alert.customer, rule: alert.rule.name, duration: minutes + 'm',
          reason: `snoozed for ${minutes} min from the alert inbox`,
        });
        if (onDone) onDone();
      } catch (e) {
        error.textContent = e.message;
        error.hidden = false;
        buttons.forEach((b) => { b.disabled = false; });
      }
    },
  }));
  fill(cell, el('span', { class: 'muted small', text: 'Snooze ' }), ...buttons, error);
  return cell;
}

/**
 * Fills the overview's #alerts section with the active alerts, most severe first, and the silences
 * not over, and keeps them current by polling every intervalMs; onSilences(items) hears each read of
 * the silences. Returns a function that stops it.
 */
export function mountActiveAlerts(section, intervalMs, onSilences) {
  const count = el('span', { class: 'alert-count', id: 'alerts-count' });
  const list = el('ul', { class: 'alert-list', id: 'alert-list' });
  const empty = el('p', { class: 'empty', id: 'alerts-empty', text: 'No active alerts.', hidden: true });
  const more = el('p', { class: 'muted small', hidden: true, text: `More than ${ACTIVE_LIMIT} alerts are active; the most severe are shown.` });
  const error = el('div');
  const rows = new Map();
  let disposed = false;

  const silenceList = el('ul', { class: 'silence-list', id: 'silence-list' });
  const silences = el('div', { class: 'silences', id: 'silences', hidden: true },
    el('h3', { text: 'Silences' }), silenceList);

  section.classList.add('panel');
  fill(section,
    el('div', { class: 'section-head' }, el('h2', {}, 'Active alerts ', count),
      el('span', { class: 'muted small', text: 'Most severe first, then newest.' })),
    error, list, empty, more, silences);
  section.hidden = false;

  async function refresh() {
    try {
      const active = await get('alerts/active', { limit: ACTIVE_LIMIT });
      if (disposed) return;
      fill(error);
      render(active);
      renderSilences();
    } catch (e) {
      if (!disposed) fill(error, errorBox(e));
    }
  }

  function render(active) {
    const keep = new Set(active.items.map((a) => a.id));
    for (const id of rows.keys()) if (!keep.has(id)) rows.delete(id);
    const nodes = active.items.map((alert) => {
      const signature = JSON.stringify(alert);
      let row = rows.get(alert.id);
      if (!row || row.signature !== signature) {
        row = createRow(alert, signature);
        rows.set(alert.id, row);
      }
      return row.node;
    });
    list.replaceChildren(...nodes);
    count.textContent = active.more ? ACTIVE_LIMIT + '+' : fmtInt(active.items.length);
    count.dataset.count = String(active.items.length);
    empty.hidden = active.items.length > 0;
    more.hidden = !active.more;
    tick();
  }

  /** The silences not over, each with who made it, why, until when, and an End button. */
  async function renderSilences() {
    let current;
    try {
      current = await get('silences', { state: 'current' });
    } catch (e) {
      silences.hidden = true; // a dashboard without silences: nothing to show
      return;
    }
    if (disposed) return;
    silenceList.replaceChildren(...current.items.map((s) => el('li', { class: 'silence-item', dataset: { silence: String(s.id), state: s.state } },
      el('span', { class: 'muted-badge', text: s.state === 'active' ? 'muted until ' + fmtTime(s.over) : 'from ' + fmtTime(s.startsAt) }),
      el('span', { class: 'silence-what', text: [s.customer || 'every customer', s.rule || 'every rule', s.severity || 'any severity']
        .join(' · ') + (s.includesCritical ? ' · critical too' : '') }),
      el('span', { class: 'muted small', text: `${s.createdBy}: ${s.reason}` }),
      el('button', { type: 'button', class: 'silence-end', text: 'End', onclick: async (event) => {
        event.target.disabled = true;
        try {
          await post('silences/' + s.id + '/end', {});
        } catch (e) {
          event.target.disabled = false;
          fill(error, errorBox(e));
          return;
        }
        refresh();
      } }))));
    silences.hidden = current.items.length === 0;
    if (onSilences) onSilences(current.items);
  }

  function createRow(alert, signature) {
    const ago = el('span', { class: 'alert-ago' });
    const node = el('li', { class: 'alert-item', dataset: { level: alert.severity, alertId: alert.id } },
      el('span', { class: 'badge', dataset: { level: alert.severity }, text: LEVEL_LABEL[alert.severity] }),
      el('a', { class: 'alert-customer', href: '#/customer/' + encodeURIComponent(alert.customer), text: alert.customer }),
      el('span', { class: 'alert-rule', text: alert.rule.name, title: ruleSettings(alert.rule) }),
      el('span', { class: 'alert-peak', title: `${alert.extremeKind} at ${fmtTime(alert.extreme.at)}` },
        el('strong', { text: String(alert.extreme.heartRate) }), ' bpm ' + alert.extremeKind),
      el('span', { class: 'alert-since', title: `condition since ${fmtTime(alert.openedAt)}, fired ${fmtTime(alert.firedAt)}` },
        'since ' + fmtTime(alert.firedAt) + ' · ', ago,
        alert.escalationLevel > 0 ? el('span', { class: 'escalation', dataset: { level: String(alert.escalationLevel) },
          title: `sent again ${alert.escalationLevel} time(s) one level up: nobody acknowledged it`,
          text: ' · level ' + alert.escalationLevel }) : null),
      snoozeCell(alert, refresh),
      ackCell(alert, refresh));
    return { node, signature, ago, firedAt: Date.parse(alert.firedAt) };
  }

  function tick() {
    const now = Date.now();
    for (const row of rows.values()) row.ago.textContent = fmtAgo(row.firedAt, now);
  }

  refresh();
  const timers = [setInterval(refresh, intervalMs), setInterval(tick, 1000)];
  return () => {
    disposed = true;
    timers.forEach(clearInterval);
  };
}

/**
 * The alert history of one customer with provenance, newest first, paged by cursor.
 * params() gives the range parameters; load(true) starts over, load(false) appends the next page.
 */
export function alertHistory(customer, params) {
  const body = el('tbody', { id: 'alert-history-body' });
  const more = el('button', { type: 'button', id: 'alert-history-more', text: 'Load more', hidden: true, onclick: () => load(false) });
  const error = el('div');
  const headers = ['Fired', 'State', 'Rule', 'Severity', '#Peak / trough', 'First trigger', 'Last trigger', 'Resolved', 'Acknowledged'];
  const table = el('table', { class: 'table alert-history', id: 'alert-history' },
    el('thead', {}, el('tr', {}, headers.map((h) => (h.startsWith('#')
      ? el('th', { class: 'num', text: h.slice(1) }) : el('th', { text: h }))))), body);
  let cursor = null;
  let paged = false;
  let disposed = false;

  async function load(reset) {
    if (reset) cursor = null;
    try {
      const page = await get('alerts', { customer, ...params(), limit: 20, cursor: reset ? null : cursor });
      if (disposed) return;
      fill(error);
      if (reset) body.replaceChildren();
      for (const alert of page.items) body.append(row(alert));
      paged = !reset;
      if (reset && !page.items.length) {
        body.append(el('tr', {}, el('td', { colspan: headers.length, class: 'empty', text: 'No alert fired in this range.' })));
      }
      cursor = page.next;
      more.hidden = !cursor;
    } catch (e) {
      if (!disposed) fill(error, errorBox(e));
    }
  }

  function row(alert) {
    const lasted = alert.resolvedAt
      ? ' (' + seconds((Date.parse(alert.resolvedAt) - Date.parse(alert.openedAt)) / 1000) + ')' : '';
    return el('tr', { dataset: { level: alert.severity, alertId: alert.id, state: alert.state } },
      el('td', { title: 'condition since ' + fmtTime(alert.openedAt) }, fmtTime(alert.firedAt)),
      el('td', {}, el('span', { class: 'state', dataset: { state: alert.state }, text: STATE_LABEL[alert.state] || alert.state })),
      el('td', {}, el('div', { text: alert.rule.name }), el('div', { class: 'muted small', text: ruleSettings(alert.rule) })),
      el('td', {}, el('span', { class: 'badge', dataset: { level: alert.severity }, text: LEVEL_LABEL[alert.severity] }),
        alert.escalatesTo ? el('div', { class: 'muted small',
          text: `escalates to ${LEVEL_LABEL[alert.escalatesTo.level].toLowerCase()} after ${seconds(alert.escalatesTo.pendingSeconds)}` }) : null),
      el('td', { class: 'num' }, el('strong', { text: alert.extreme.heartRate + ' bpm' }),
        el('div', { class: 'muted small', text: alert.extremeKind + ' · ' + fmtTime(alert.extreme.at) })),
      el('td', {}, readingText(alert.firstTrigger), el('div', { class: 'muted small', text: alert.firstTrigger.activity })),
      el('td', {}, readingText(alert.lastTrigger), el('div', { class: 'muted small', text: alert.lastTrigger.activity })),
      el('td', { text: alert.resolvedAt ? fmtTime(alert.resolvedAt) + lasted : '–' }),
      el('td', {}, ackCell(alert, null)));
  }

  return {
    nodes: [error, el('div', { class: 'table-scroll' }, table), more],
    load,
    /** Whether more than the first page is shown (a refresh would throw it away). */
    paged() { return paged; },
    dispose() { disposed = true; },
  };
}
