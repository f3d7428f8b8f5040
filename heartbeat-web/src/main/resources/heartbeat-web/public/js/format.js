// Levels, colours and number/time formatting shared by every view.

export const LEVELS = ['critical_low', 'low', 'normal', 'elevated', 'high', 'critical_high'];

export const LEVEL_LABEL = {
  critical_low: 'Critical low',
  low: 'Low',
  normal: 'Normal',
  elevated: 'Elevated',
  high: 'High',
  critical_high: 'Critical high',
};

export const LEVEL_COLOR = {
  critical_low: '#6d28d9',
  low: '#2563eb',
  normal: '#16a34a',
  elevated: '#b7791f',
  high: '#ea580c',
  critical_high: '#dc2626',
};

/** Light tints of the level colours, for chart backgrounds. */
export const LEVEL_TINT = {
  critical_low: 'rgba(109, 40, 217, 0.07)',
  low: 'rgba(37, 99, 235, 0.06)',
  normal: 'rgba(22, 163, 74, 0.05)',
  elevated: 'rgba(183, 121, 31, 0.06)',
  high: 'rgba(234, 88, 12, 0.07)',
  critical_high: 'rgba(220, 38, 38, 0.08)',
};

let bands = null;

/** Remembers the bands from /api/meta so the page classifies exactly like the server. */
export function setBands(levels) {
  bands = levels;
}

export function levelOf(bpm) {
  if (bands) {
    for (const b of bands) if (bpm >= b.minBpm && bpm <= b.maxBpm) return b.level;
  }
  if (bpm < 40) return 'critical_low';
  if (bpm < 60) return 'low';
  if (bpm <= 100) return 'normal';
  if (bpm <= 160) return 'elevated';
  if (bpm <= 200) return 'high';
  return 'critical_high';
}

const INT = new Intl.NumberFormat('en-US');
const DEC1 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function fmtInt(n) {
  return n === null || n === undefined ? '–' : INT.format(n);
}

export function fmtDec(n) {
  return n === null || n === undefined || Number.isNaN(n) ? '–' : DEC1.format(n);
}

const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const DATE_TIME = new Intl.DateTimeFormat(undefined, {
  month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});

export function fmtTime(value) {
  const d = new Date(value);
  const sameDay = new Date().toDateString() === d.toDateString();
  return sameDay ? TIME.format(d) : DATE_TIME.format(d);
}

export function fmtAgo(value, now = Date.now()) {
  const seconds = Math.max(0, Math.round((now - new Date(value).getTime()) / 1000));
  if (seconds < 60) return seconds + ' s ago';
  if (seconds < 3600) return Math.floor(seconds / 60) + ' min ago';
  if (seconds < 86400) return Math.floor(seconds / 3600) + ' h ago';
  return Math.floor(seconds / 86400) + ' d ago';
}

export function fmtDuration(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  const s = Math.round(seconds);
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60 ? (s % 60) + ' s' : '');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h + ' h' + (m ? ' ' + m + ' min' : '');
}

export function fmtMillis(ms) {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1000) return Math.round(ms) + ' ms';
  if (ms < 60000) return (ms / 1000).toFixed(1) + ' s';
  return fmtDuration(ms / 1000);
}

export function pct(part, whole) {
  return whole > 0 ? (100 * part) / whole : 0;
}
