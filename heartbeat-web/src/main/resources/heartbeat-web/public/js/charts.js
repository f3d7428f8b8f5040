// Charts: uPlot for the customer history and the pipeline series, a plain SVG polyline for the
// tiles' sparklines (hundreds of uPlot instances would be far too heavy for the overview).

import { svg } from './dom.js';
import { LEVELS, LEVEL_COLOR, LEVEL_TINT } from './format.js';

const Y_RANGE = [25, 255];

function plotWidth(container) {
  return Math.max(280, Math.floor(container.getBoundingClientRect().width) || 800);
}

/** Keeps a uPlot as wide as its container. */
function autoSize(u, container, height) {
  const observer = new ResizeObserver(() => u.setSize({ width: plotWidth(container), height }));
  observer.observe(container);
  return () => observer.disconnect();
}

/**
 * The customer chart: the heart rate (every reading, or the mean per bucket), the lowest and
 * highest reading per bucket as a shaded band (so no peak is averaged away), the bands tinted in
 * the background and the thresholds (from /api/meta) drawn and labelled.
 */
export function historyChart(container, meta, history, height = 340) {
  const bucketed = history.source !== 'raw';
  const thresholds = meta.thresholds;
  const levels = meta.levels;
  const dpr = () => window.devicePixelRatio || 1;

  function tintBands(u) {
    const { ctx, bbox } = u;
    ctx.save();
    for (const level of levels) {
      const top = u.valToPos(Math.min(level.maxBpm + 0.5, Y_RANGE[1]), 'y', true);
      const bottom = u.valToPos(Math.max(level.minBpm - 0.5, Y_RANGE[0]), 'y', true);
      ctx.fillStyle = LEVEL_TINT[level.level];
      ctx.fillRect(bbox.left, top, bbox.width, bottom - top);
    }
    ctx.restore();
  }

  function drawThresholds(u) {
    const { ctx, bbox } = u;
    ctx.save();
    ctx.font = `${Math.round(11 * dpr())}px system-ui, sans-serif`;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'bottom';
    for (const t of thresholds) {
      const y = Math.round(u.valToPos(t.bpm, 'y', true)) + 0.5;
      const color = LEVEL_COLOR[t.bpm <= 60 ? t.below : t.above];
      ctx.strokeStyle = color;
      ctx.globalAlpha = 0.85;
      ctx.lineWidth = dpr();
      ctx.setLineDash([6 * dpr(), 4 * dpr()]);
      ctx.beginPath();
      ctx.moveTo(bbox.left, y);
      ctx.lineTo(bbox.left + bbox.width, y);
      ctx.stroke();
      ctx.globalAlpha = 1;
      // a light box behind the label keeps it readable where the series crosses it
      const right = bbox.left + bbox.width - 6 * dpr();
      const width = ctx.measureText(t.label).width;
      const textHeight = 13 * dpr();
      ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
      ctx.fillRect(right - width - 3 * dpr(), y - textHeight - 1 * dpr(), width + 6 * dpr(), textHeight);
      ctx.fillStyle = color;
      ctx.fillText(t.label, right, y - 2 * dpr());
    }
    ctx.restore();
    // what was drawn, for tests and tools that cannot read a canvas
    container.dataset.thresholds = thresholds.map((t) => t.bpm).join(',');
  }

  const bpm = (u, v) => (v === null || v === undefined ? '–' : Math.round(v) + ' bpm');
  const series = [
    {},
    {
      label: bucketed ? 'Mean' : 'Heart rate',
      stroke: '#0f172a',
      width: 1.5,
      points: { show: !bucketed && history.points <= 120, size: 4 },
      value: bpm,
    },
  ];
  if (bucketed) {
    // a bucket's lowest and highest reading, with the band between them shaded
    series.push({ label: 'Lowest', stroke: 'rgba(37, 99, 235, 0.75)', width: 1, value: bpm });
    series.push({ label: 'Highest', stroke: 'rgba(220, 38, 38, 0.75)', width: 1, value: bpm });
  }
  const columns = (d) => (bucketed ? [d.t, d.avg, d.min, d.max] : [d.t, d.avg]);
  const options = {
    width: plotWidth(container),
    height,
    ms: 1,
    scales: {
      x: { time: true, range: (u, min, max) => [history.xFrom ?? min, history.xTo ?? max] },
      y: { range: Y_RANGE },
    },
    axes: [
      { grid: { stroke: 'rgba(15, 23, 42, 0.06)' }, space: 90 },
      { label: 'bpm', grid: { stroke: 'rgba(15, 23, 42, 0.06)' }, splits: () => [40, 60, 100, 160, 200, 250] },
    ],
    series,
    bands: bucketed ? [{ series: [3, 2], fill: 'rgba(71, 85, 105, 0.20)' }] : [],
    hooks: { drawClear: [tintBands], draw: [drawThresholds] },
    cursor: { drag: { x: true, y: false } },
    legend: { live: true },
  };
  const u = new window.uPlot(options, columns(history), container);
  const stopSizing = autoSize(u, container, height);
  return {
    plot: u,
    /** Replaces the data and the visible time window (live mode slides it). */
    update(next) {
      history.xFrom = next.xFrom;
      history.xTo = next.xTo;
      u.setData(columns(next));
    },
    destroy() {
      stopSizing();
      u.destroy();
    },
  };
}

/** A time-series chart of a few lines (pipeline throughput, latency). */
export function timeChart(container, { t, lines, yLabel, height = 240, valueFormat }) {
  const options = {
    width: plotWidth(container),
    height,
    ms: 1,
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
    axes: [
      { grid: { stroke: 'rgba(15, 23, 42, 0.06)' }, space: 90 },
      { label: yLabel, grid: { stroke: 'rgba(15, 23, 42, 0.06)' }, size: 60 },
    ],
    series: [
      {},
      ...lines.map((l) => ({
        label: l.label,
        stroke: l.color,
        width: 1.5,
        fill: l.fill || null,
        points: { show: false },
        value: (u, v) => (v === null || v === undefined ? '–' : valueFormat ? valueFormat(v) : String(v)),
      })),
    ],
    legend: { live: true },
  };
  const u = new window.uPlot(options, [t, ...lines.map((l) => l.values)], container);
  const stopSizing = autoSize(u, container, height);
  return {
    plot: u,
    update(nextT, values) {
      u.setData([nextT, ...values]);
    },
    destroy() {
      stopSizing();
      u.destroy();
    },
  };
}

/**
 * Draws a sparkline into an <svg>: the min-max envelope per bucket (peaks stay visible) and the
 * mean as a line, over [from, to] (epoch ms). Cheap enough to redraw on every live update.
 */
export function drawSparkline(node, series, from, to, level) {
  const W = 120;
  const H = 36;
  node.replaceChildren();
  node.setAttribute('viewBox', `0 0 ${W} ${H}`);
  node.setAttribute('preserveAspectRatio', 'none');
  const n = series ? series.t.length : 0;
  if (n === 0) {
    node.append(svg('line', { x1: 0, y1: H / 2, x2: W, y2: H / 2, class: 'spark-empty' }));
    return;
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, series.min[i]);
    hi = Math.max(hi, series.max[i]);
  }
  const span = Math.max(20, hi - lo);
  const mid = (hi + lo) / 2;
  lo = mid - span / 2 - 2;
  hi = mid + span / 2 + 2;
  const x = (t) => (W * (t - from)) / Math.max(1, to - from);
  const y = (v) => H - (H * (v - lo)) / (hi - lo);
  const color = LEVEL_COLOR[level] || '#475569';
  const upper = [];
  const lower = [];
  const mean = [];
  for (let i = 0; i < n; i++) {
    const px = x(series.t[i]).toFixed(1);
    upper.push(`${px},${y(series.max[i]).toFixed(1)}`);
    lower.unshift(`${px},${y(series.min[i]).toFixed(1)}`);
    mean.push(`${px},${y(series.avg[i]).toFixed(1)}`);
  }
  node.append(
    svg('polygon', { points: upper.concat(lower).join(' '), fill: color, 'fill-opacity': 0.16, stroke: 'none' }),
    svg('polyline', {
      points: mean.join(' '), fill: 'none', stroke: color, 'stroke-width': 1.5,
      'vector-effect': 'non-scaling-stroke', 'stroke-linejoin': 'round',
    }),
  );
}

export { LEVELS };
