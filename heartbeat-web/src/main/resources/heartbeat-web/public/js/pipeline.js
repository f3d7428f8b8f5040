// Pipeline health: what was committed over time, latency, lag per partition, rejects by reason, gaps.

import { get } from './api.js';
import { el, fill, errorBox } from './dom.js';
import { fmtInt, fmtDec, fmtMillis, fmtTime } from './format.js';
import { timeChart } from './charts.js';

const RANGES = [['15m', '15 minutes'], ['1h', '1 hour'], ['6h', '6 hours'], ['24h', '24 hours'], ['7d', '7 days']];

export function mountPipeline(root) {
  let range = '1h';
  let rateChart = null;
  let latencyChart = null;
  let disposed = false;
  const rangeSelect = el('select', { id: 'pipeline-range', 'aria-label': 'Range' },
    RANGES.map(([v, label]) => el('option', { value: v, selected: v === range }, label)));
  const cards = el('div', { class: 'cards', id: 'pipeline-cards' });
  const rateBox = el('div', { class: 'chart', id: 'ingest-chart' });
  const latencyBox = el('div', { class: 'chart', id: 'latency-chart' });
  const rateNote = el('p', { class: 'muted' });
  const lagBody = el('tbody', { id: 'lag-body' });
  const lagTotal = el('span', { class: 'muted', id: 'lag-total' });
  const reasonsBody = el('tbody', { id: 'reasons-body' });
  const gapsBody = el('tbody', { id: 'gaps-body' });
  const gapsNote = el('p', { class: 'muted', id: 'gaps-note' });
  const error = el('div');
  const lagError = el('div');

  fill(root,
    el('section', { class: 'panel' },
      el('div', { class: 'section-head' }, el('h1', { text: 'Pipeline health' }), el('label', { class: 'inline' }, 'Range ', rangeSelect)),
      error, cards),
    el('section', { class: 'panel' }, el('h2', { text: 'Ingest rate' }), rateBox, rateNote),
    el('section', { class: 'panel' }, el('h2', { text: 'End-to-end latency' }), latencyBox,
      el('p', { class: 'muted', text: 'Worst per bucket: commit time minus the oldest reading\u2019s timestamp in a batch.' })),
    el('div', { class: 'two-col' },
      el('section', { class: 'panel' },
        el('div', { class: 'section-head' }, el('h2', { text: 'Consumer lag' }), lagTotal), lagError,
        el('table', { class: 'table' }, el('thead', {}, el('tr', {},
          el('th', { text: 'Partition' }), el('th', { class: 'num', text: 'End offset' }),
          el('th', { class: 'num', text: 'Stored offset' }), el('th', { class: 'num', text: 'Lag' }), el('th', {}))), lagBody)),
      el('section', { class: 'panel' }, el('h2', { text: 'Rejects by reason' }),
        el('table', { class: 'table compact' }, el('thead', {}, el('tr', {},
          el('th', { text: 'Reason' }), el('th', { class: 'num', text: 'Since start' }))), reasonsBody))),
    el('section', { class: 'panel' }, el('h2', { text: 'Gaps: offsets never read' }), gapsNote,
      el('table', { class: 'table compact' }, el('thead', {}, el('tr', {},
        el('th', { text: 'Detected' }), el('th', { text: 'Partition' }), el('th', { class: 'num', text: 'Offsets' }),
        el('th', { class: 'num', text: 'Messages' }), el('th', { text: 'Reason' }), el('th', { text: 'Detail' }))), gapsBody)));

  rangeSelect.addEventListener('change', () => { range = rangeSelect.value; load(true); });

  const card = (label, value, sub) => el('div', { class: 'card' }, el('div', { class: 'card-label', text: label }),
    el('div', { class: 'card-value', text: value }), sub ? el('div', { class: 'card-sub', text: sub }) : null);

  async function load(rebuild) {
    try {
      const p = await get('pipeline', { range });
      if (disposed) return;
      fill(error);
      const c = p.counters;
      fill(cards,
        card('Rows stored', fmtInt(c.stored), fmtInt(p.totals.stored) + ' in range'),
        card('Ingest rate', fmtDec(p.totals.storedPerSecond) + ' / s', 'average over the range'),
        card('Messages consumed', fmtInt(c.messages), fmtInt(p.totals.messages) + ' in range'),
        card('Rejects', fmtInt(c.rejected), fmtInt(p.totals.rejected) + ' in range'),
        card('Duplicates', fmtInt(c.duplicates), fmtInt(p.totals.duplicates) + ' in range'),
        card('Customers', fmtInt(c.customers)),
        card('Max latency', fmtMillis(p.totals.maxLatencyMs), 'end to end, in range'),
        card('Newest reading', c.newestReading ? fmtMillis(c.freshnessMs) + ' old' : '–',
          c.newestReading ? fmtTime(c.newestReading) : 'nothing stored yet'));
      const perSecond = (values) => values.map((v) => v / p.bucketSeconds);
      const rates = [perSecond(p.throughput.stored), perSecond(p.throughput.rejected), perSecond(p.throughput.duplicates)];
      rateNote.textContent = `Per second, averaged over ${fmtMillis(p.bucketSeconds * 1000)} buckets.`;
      if (rebuild || !rateChart) {
        if (rateChart) rateChart.destroy();
        if (latencyChart) latencyChart.destroy();
        rateBox.replaceChildren();
        latencyBox.replaceChildren();
        rateChart = timeChart(rateBox, {
          t: p.throughput.t, yLabel: 'per second', valueFormat: (v) => fmtDec(v),
          lines: [
            { label: 'Stored', color: '#16a34a', fill: 'rgba(22, 163, 74, 0.10)', values: rates[0] },
            { label: 'Rejected', color: '#dc2626', values: rates[1] },
            { label: 'Duplicates', color: '#b7791f', values: rates[2] },
          ],
        });
        latencyChart = timeChart(latencyBox, {
          t: p.throughput.t, yLabel: 'ms', height: 200, valueFormat: (v) => fmtMillis(v),
          lines: [{ label: 'Max latency', color: '#7c3aed', fill: 'rgba(124, 58, 237, 0.08)', values: p.throughput.maxLatencyMs }],
        });
      } else {
        rateChart.update(p.throughput.t, rates);
        latencyChart.update(p.throughput.t, [p.throughput.maxLatencyMs]);
      }
      rateBox.dataset.points = String(p.throughput.t.length);
      const reasons = Object.entries(c.rejectsByReason).sort((a, b) => b[1] - a[1]);
      fill(reasonsBody, reasons.map(([reason, n]) => el('tr', { class: n ? '' : 'zero' },
        el('td', {}, el('code', { text: reason })), el('td', { class: 'num', text: fmtInt(n) }))));
      gapsNote.textContent = c.gaps
        ? `${fmtInt(c.gaps)} gaps, ${fmtInt(c.skippedMessages)} messages skipped since start; the ${c.recentGaps.length} most recent:`
        : 'None: every offset was read.';
      fill(gapsBody, c.recentGaps.map((g) => el('tr', {},
        el('td', { text: fmtTime(g.detectedAt) }), el('td', { text: `${g.topic}[${g.partition}]` }),
        el('td', { class: 'num', text: g.toOffset > g.fromOffset ? `${fmtInt(g.fromOffset)}\u2013${fmtInt(g.toOffset - 1)}` : `from ${fmtInt(g.fromOffset)}` }),
        el('td', { class: 'num', text: g.messages ? fmtInt(g.messages) : 'unknown' }),
        el('td', {}, el('code', { text: g.reason })), el('td', { text: g.detail }))));
    } catch (e) {
      if (!disposed) fill(error, errorBox(e));
    }
    try {
      const lag = await get('pipeline/lag');
      if (disposed) return;
      fill(lagError);
      lagTotal.textContent = 'total ' + fmtInt(lag.total);
      const worst = Math.max(1, ...lag.partitions.map((l) => l.lag));
      fill(lagBody, lag.partitions.map((l) => {
        const bar = el('span', { class: 'bar-fill lag' });
        bar.style.width = (100 * l.lag) / worst + '%';
        return el('tr', {}, el('td', { text: `${l.topic}[${l.partition}]` }),
          el('td', { class: 'num', text: fmtInt(l.endOffset) }), el('td', { class: 'num', text: fmtInt(l.storedOffset) }),
          el('td', { class: 'num', text: fmtInt(l.lag) }), el('td', { class: 'bar-cell' }, el('span', { class: 'bar-track' }, bar)));
      }));
    } catch (e) {
      if (!disposed) fill(lagError, errorBox(e));
    }
  }

  load(true);
  const timer = setInterval(() => load(false), 5000);
  return () => {
    disposed = true;
    clearInterval(timer);
    if (rateChart) rateChart.destroy();
    if (latencyChart) latencyChart.destroy();
  };
}
