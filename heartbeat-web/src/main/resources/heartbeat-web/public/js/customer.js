// One customer: live header, the chart with thresholds over a chosen range, the alert history
// with provenance, statistics, time per band, level distribution and the latest readings.

import { get, openStream } from './api.js';
import { el, fill, errorBox } from './dom.js';
import { LEVELS, LEVEL_LABEL, fmtInt, fmtDec, fmtTime, fmtAgo, fmtDuration, pct } from './format.js';
import { historyChart } from './charts.js';
import { alertHistory } from './alerts.js';

const RANGES = [
  ['live', 'Live 5 min'], ['1h', '1 h'], ['6h', '6 h'], ['24h', '24 h'], ['7d', '7 days'], ['custom', 'Custom'],
];
const LIVE_MS = 5 * 60 * 1000;

export function mountCustomer(root, app, customer, params) {
  const path = 'customers/' + encodeURIComponent(customer);
  const state = { range: RANGES.some(([v]) => v === params.get('range')) ? params.get('range') : 'live' };
  let chart = null;
  let plotData = null;
  let stream = null;
  let cursor = null;
  let disposed = false;
  const timers = [];

  const currentBpm = el('span', { class: 'bpm big', id: 'current-bpm', text: '–' });
  const currentBadge = el('span', { class: 'badge' });
  const currentAgo = el('span', { class: 'muted', id: 'current-ago' });
  const rangeButtons = RANGES.map(([value, label]) => el('button', {
    type: 'button', class: 'seg', dataset: { range: value }, 'aria-pressed': String(value === state.range),
    onclick: () => selectRange(value),
  }, label));
  const from = el('input', { type: 'datetime-local', id: 'custom-from', step: 1, 'aria-label': 'From' });
  const to = el('input', { type: 'datetime-local', id: 'custom-to', step: 1, 'aria-label': 'To' });
  const custom = el('div', { class: 'custom-range', hidden: state.range !== 'custom' },
    el('label', {}, 'From ', from), el('label', {}, 'To ', to),
    el('button', { type: 'button', class: 'primary', text: 'Show', onclick: () => loadRange() }));
  const chartNote = el('p', { class: 'muted chart-note', id: 'chart-note' });
  const chartBox = el('div', { class: 'chart', id: 'history-chart' });
  const chartError = el('div');
  const statsGrid = el('div', { class: 'cards small', id: 'customer-stats' });
  const timeTable = el('div', { id: 'time-in-band' });
  const distribution = el('div', { id: 'level-distribution', class: 'bars' });
  const readingsBody = el('tbody', { id: 'readings-body' });
  const more = el('button', { type: 'button', id: 'readings-more', text: 'Load more', hidden: true, onclick: () => loadReadings(false) });
  const readingsError = el('div');
  const notFound = el('div');
  // live: the alerts of the last week; otherwise those that fired in the chosen range
  const alerts = app.meta.alerts ? alertHistory(customer, () => (state.range === 'live' ? { range: '7d' } : rangeParams())) : null;
  const alertsNote = el('span', { class: 'muted small', id: 'alerts-note' });

  fill(root,
    el('section', { class: 'panel customer-head' },
      el('a', { href: '#/overview', class: 'back', text: '‹ All customers' }),
      el('div', { class: 'customer-title' },
        el('h1', { id: 'customer-id', text: customer }),
        el('div', { class: 'current' }, currentBpm, el('span', { class: 'unit', text: 'bpm' }), currentBadge, currentAgo)),
      notFound),
    el('section', { class: 'panel' },
      el('div', { class: 'section-head' }, el('h2', { text: 'Heart rate' }),
        el('div', { class: 'segmented', role: 'group', 'aria-label': 'Time range' }, rangeButtons)),
      custom, chartError, chartBox, chartNote),
    alerts ? el('section', { class: 'panel', id: 'customer-alerts' },
      el('div', { class: 'section-head' }, el('h2', { text: 'Alerts' }),
        alertsNote),
      alerts.nodes) : null,
    el('div', { class: 'two-col' },
      el('section', { class: 'panel' }, el('h2', { text: 'Statistics' }), statsGrid,
        el('h3', { text: 'Time in each band' }), timeTable),
      el('section', { class: 'panel' }, el('h2', { text: 'Level distribution' }), distribution)),
    el('section', { class: 'panel' },
      el('div', { class: 'section-head' }, el('h2', { text: 'Latest readings' }),
        el('a', { href: '#/anomalies?customer=' + encodeURIComponent(customer), text: 'Anomalies of this customer ›' })),
      readingsError,
      el('table', { class: 'table', id: 'readings-table' },
        el('thead', {}, el('tr', {}, el('th', { text: 'Time' }), el('th', { class: 'num', text: 'Heart rate' }),
          el('th', { text: 'Level' }), el('th', { text: 'Activity' }))),
        readingsBody),
      more));

  function selectRange(value) {
    state.range = value;
    for (const b of rangeButtons) b.setAttribute('aria-pressed', String(b.dataset.range === value));
    custom.hidden = value !== 'custom';
    if (value === 'custom') {
      if (!from.value) {
        const now = new Date();
        to.value = localInput(now);
        from.value = localInput(new Date(now.getTime() - 3600 * 1000));
      }
      return;
    }
    window.history.replaceState(null, '', '#/customer/' + encodeURIComponent(customer) + (value === 'live' ? '' : '?range=' + value));
    loadRange();
  }

  function rangeParams() {
    if (state.range === 'live') return { range: '5m' };
    if (state.range === 'custom') {
      const f = from.value ? new Date(from.value) : null;
      const t = to.value ? new Date(to.value) : null;
      return { from: f && !isNaN(f) ? f.toISOString() : from.value, to: t && !isNaN(t) ? t.toISOString() : to.value };
    }
    return { range: state.range };
  }

  async function loadLatest() {
    try {
      const r = await get(path);
      if (disposed) return;
      setCurrent(r.at, r.heartRate, r.level);
    } catch (e) {
      if (disposed) return;
      if (e.status === 404) fill(notFound, el('p', { class: 'notice', text: 'No reading of this customer is stored (yet).' }));
      else fill(notFound, errorBox(e));
    }
  }

  let currentAt = 0;
  function setCurrent(at, bpm, level) {
    const ms = typeof at === 'number' ? at : Date.parse(at);
    if (ms < currentAt) return;
    currentAt = ms;
    fill(notFound);
    currentBpm.textContent = String(bpm);
    currentBadge.textContent = LEVEL_LABEL[level];
    currentBadge.dataset.level = level;
    currentAgo.textContent = fmtAgo(ms);
  }

  async function loadRange() {
    const params = { ...rangeParams() };
    try {
      const [h, s] = await Promise.all([get(path + '/history', { ...params, points: 600 }), get(path + '/stats', params)]);
      if (disposed) return;
      fill(chartError);
      drawChart(h);
      drawStats(s);
    } catch (e) {
      if (!disposed) fill(chartError, errorBox(e));
    }
    loadReadings(true);
    loadAlerts();
  }

  function loadAlerts() {
    if (!alerts) return;
    alertsNote.textContent = (state.range === 'live' ? 'Fired in the last 7 days' : 'Fired in the chosen range')
      + ', newest first, with the readings that raised them.';
    alerts.load(true);
  }

  function drawChart(h) {
    if (chart) chart.destroy();
    chartBox.replaceChildren();
    const live = state.range === 'live';
    plotData = {
      source: h.source, points: h.points, t: h.t, avg: h.avg, min: h.min, max: h.max,
      xFrom: Date.parse(h.from), xTo: Date.parse(h.to),
    };
    chart = historyChart(chartBox, app.meta, plotData);
    chartBox.dataset.points = String(h.points);
    chartBox.dataset.source = h.source;
    const how = h.source === 'raw' ? 'every reading'
      : `${fmtDuration(h.bucketSeconds)} buckets${h.source === 'minute_rollups' ? ' of per-minute rollups' : ''}: `
        + 'line = mean, shaded band = lowest to highest reading';
    chartNote.textContent = `${fmtInt(h.points)} points, ${how}.` + (live ? ' Updating live.' : '')
      + ' Dashed lines: band thresholds. Drag to zoom, double-click to reset.';
  }

  function appendLive(at, bpm) {
    if (state.range !== 'live' || !chart || !plotData) return;
    const d = plotData;
    if (d.t.length && at <= d.t[d.t.length - 1]) return;
    d.t.push(at); d.avg.push(bpm); d.min.push(bpm); d.max.push(bpm);
    const now = Date.now();
    while (d.t.length && d.t[0] < now - LIVE_MS) {
      d.t.shift(); d.avg.shift(); d.min.shift(); d.max.shift();
    }
    chart.update({ ...d, xFrom: now - LIVE_MS, xTo: now });
  }

  function drawStats(s) {
    const st = s.stats;
    const stat = (label, value, sub) => el('div', { class: 'card' }, el('div', { class: 'card-label', text: label }),
      el('div', { class: 'card-value', text: value }), sub ? el('div', { class: 'card-sub', text: sub }) : null);
    if (!st) {
      fill(statsGrid, el('p', { class: 'empty', text: 'No readings in this range.' }));
    } else {
      fill(statsGrid,
        stat('Last', st.last.heartRate + ' bpm', LEVEL_LABEL[st.last.level] + ', ' + fmtTime(st.last.at)),
        stat('Lowest', st.min + ' bpm'), stat('Average', fmtDec(st.avg) + ' bpm', '± ' + fmtDec(st.stddev)),
        stat('Highest', st.max + ' bpm'), stat('Readings', fmtInt(st.count)),
        stat('Critical readings', fmtInt(st.criticalCount), fmtDec(pct(st.criticalCount, st.count)) + ' %'));
    }
    const totalTime = LEVELS.reduce((sum, l) => sum + s.bands.timeSeconds[l], 0);
    const bar = el('div', { class: 'band-bar' });
    const rows = [];
    for (const level of LEVELS) {
      const seconds = s.bands.timeSeconds[level];
      const share = pct(seconds, totalTime);
      if (share > 0) {
        const seg = el('span', { class: 'band-seg', dataset: { level }, title: LEVEL_LABEL[level] });
        seg.style.width = share + '%';
        bar.append(seg);
      }
      rows.push(el('tr', { dataset: { level } },
        el('td', {}, el('span', { class: 'badge', dataset: { level }, text: LEVEL_LABEL[level] })),
        el('td', { class: 'num', text: fmtDuration(seconds) }),
        el('td', { class: 'num', text: fmtDec(share) + ' %' })));
    }
    fill(timeTable, bar, el('table', { class: 'table compact' },
      el('thead', {}, el('tr', {}, el('th', { text: 'Band' }), el('th', { class: 'num', text: 'Time' }),
        el('th', { class: 'num', text: 'Share' }))), el('tbody', {}, rows)),
    el('p', { class: 'muted', text: 'Counted over whole minutes; a minute is shared among its readings\u2019 bands.' }));

    const max = Math.max(1, ...LEVELS.map((l) => s.bands.counts[l]));
    fill(distribution, LEVELS.map((level) => {
      const n = s.bands.counts[level];
      const fillBar = el('span', { class: 'bar-fill', dataset: { level } });
      fillBar.style.width = (100 * n) / max + '%';
      return el('div', { class: 'bar-row', dataset: { level } },
        el('span', { class: 'bar-label', text: LEVEL_LABEL[level] }),
        el('span', { class: 'bar-track' }, fillBar),
        el('span', { class: 'bar-value', text: fmtInt(n) + ' · ' + fmtDec(pct(n, s.bands.total)) + ' %' }));
    }));
  }

  async function loadReadings(reset) {
    if (reset) cursor = null;
    try {
      const params = state.range === 'live' ? { range: '24h' } : rangeParams();
      const page = await get(path + '/readings', { ...params, limit: 20, cursor });
      if (disposed) return;
      fill(readingsError);
      if (reset) readingsBody.replaceChildren();
      for (const r of page.items) {
        readingsBody.append(el('tr', {},
          el('td', { text: fmtTime(r.at) }), el('td', { class: 'num', text: r.heartRate + ' bpm' }),
          el('td', {}, el('span', { class: 'badge', dataset: { level: r.level }, text: LEVEL_LABEL[r.level] })),
          el('td', { text: r.activity })));
      }
      if (reset && !page.items.length) {
        readingsBody.append(el('tr', {}, el('td', { colspan: 4, class: 'empty', text: 'No readings in this range.' })));
      }
      cursor = page.next;
      more.hidden = !cursor;
    } catch (e) {
      if (!disposed) fill(readingsError, errorBox(e));
    }
  }

  function onReadings(event) {
    for (const [id, at, bpm, level] of event.r) {
      if (id !== customer) continue;
      setCurrent(at, bpm, level);
      appendLive(at, bpm);
    }
  }

  loadLatest();
  loadRange();
  stream = openStream([customer], { readings: onReadings, status: app.setLive });
  timers.push(setInterval(() => {
    if (currentAt) currentAgo.textContent = fmtAgo(currentAt);
  }, 1000));
  timers.push(setInterval(async () => {
    if (state.range !== 'live') return;
    try {
      const s = await get(path + '/stats', rangeParams());
      if (!disposed) drawStats(s);
    } catch (e) {
      // the next refresh tries again; the chart keeps updating from the stream
    }
    if (!cursor || readingsBody.children.length <= 20) loadReadings(true);
    if (alerts && !alerts.paged()) alerts.load(true);
  }, 10000));

  return () => {
    disposed = true;
    timers.forEach(clearInterval);
    if (stream) stream.close();
    if (chart) chart.destroy();
    if (alerts) alerts.dispose();
  };
}

function localInput(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
