// Overview: the active alerts first (when the dashboard has an alert store), the headline for a
// window, then one tile per customer (a page at a time), updated live.

import { get, openStream } from './api.js';
import { el, fill, debounce, errorBox } from './dom.js';
import { LEVELS, LEVEL_LABEL, fmtInt, fmtDec, fmtAgo, pct } from './format.js';
import { drawSparkline } from './charts.js';
import { mountActiveAlerts } from './alerts.js';

const SPARK_MS = 5 * 60 * 1000;
const REFRESH_MS = 5000;
const SPARK_REFRESH_MS = 60000;
const STALE_MS = 60000;

const SORTS = [
  ['severity', 'Most severe first'],
  ['customer', 'Customer id'],
  ['heart_rate_desc', 'Heart rate, highest first'],
  ['heart_rate_asc', 'Heart rate, lowest first'],
  ['recent', 'Most recent reading'],
];

const WINDOWS = [['5m', '5 minutes'], ['15m', '15 minutes'], ['1h', '1 hour'], ['6h', '6 hours'], ['24h', '24 hours']];

// kept across visits of the overview within this tab
const saved = { window: '15m', q: '', levels: [], sort: 'severity', limit: 48, offset: 0 };

export function mountOverview(root, app) {
  const state = { ...saved, levels: new Set(saved.levels) };
  const tiles = new Map();
  let muted = new Map(); // customer id -> the silence in effect naming it
  const timers = [];
  let stream = null;
  let streamKey = '';
  let sparkKey = '';
  let sparkLoadedAt = 0;
  let disposed = false;

  // ---- headline -----------------------------------------------------------------------------
  const windowSelect = el('select', { id: 'window-select', 'aria-label': 'Headline window' },
    WINDOWS.map(([v, label]) => el('option', { value: v, selected: v === state.window }, label)));
  const card = (id, label) => {
    const value = el('div', { class: 'card-value', id: 'metric-' + id, text: '–' });
    const sub = el('div', { class: 'card-sub', id: 'metric-' + id + '-sub' });
    return { node: el('div', { class: 'card' }, el('div', { class: 'card-label', text: label }), value, sub), value, sub };
  };
  const cards = {
    readings: card('readings', 'Readings'),
    rate: card('rate', 'Readings / s'),
    active: card('active', 'Active customers'),
    avg: card('avg', 'Average heart rate'),
    critical: card('critical', 'Critical readings'),
  };
  cards.critical.node.classList.add('card-critical');
  const bandBar = el('div', { class: 'band-bar', role: 'img', 'aria-label': 'Readings per band' });
  const bandLegend = el('div', { class: 'band-legend', id: 'band-legend' });
  const headlineError = el('div');

  // the active alerts come first; the section stays hidden when the dashboard has no alert store
  const alerts = el('section', { id: 'alerts', class: 'alerts', hidden: true, 'aria-label': 'Active alerts' });

  // ---- tiles --------------------------------------------------------------------------------
  const search = el('input', {
    id: 'tile-search', type: 'search', placeholder: 'Search customer id', value: state.q, maxlength: 50,
    spellcheck: 'false', autocomplete: 'off', 'aria-label': 'Search customer id',
  });
  const chips = LEVELS.map((level) => el('button', {
    type: 'button', class: 'chip', dataset: { level }, 'aria-pressed': String(state.levels.has(level)),
    onclick: () => {
      if (state.levels.has(level)) state.levels.delete(level); else state.levels.add(level);
      state.offset = 0;
      syncChips();
      loadTiles();
    },
  }, el('span', { class: 'dot', dataset: { level } }), LEVEL_LABEL[level]));
  const sortSelect = el('select', { id: 'tile-sort', 'aria-label': 'Sort tiles' },
    SORTS.map(([v, label]) => el('option', { value: v, selected: v === state.sort }, label)));
  const sizeSelect = el('select', { id: 'tile-size', 'aria-label': 'Tiles per page' },
    [24, 48, 96].map((n) => el('option', { value: n, selected: n === state.limit }, n + ' per page')));
  const grid = el('div', { class: 'tiles', id: 'tiles', role: 'list' });
  const tilesError = el('div');
  const pagerInfo = el('span', { class: 'pager-info', id: 'pager-info' });
  const prev = el('button', { type: 'button', id: 'page-prev', text: '‹ Previous', onclick: () => page(-1) });
  const next = el('button', { type: 'button', id: 'page-next', text: 'Next ›', onclick: () => page(1) });

  fill(root,
    alerts,
    el('section', { class: 'panel headline' },
      el('div', { class: 'section-head' }, el('h1', { text: 'Overview' }),
        el('label', { class: 'inline' }, 'Window ', windowSelect)),
      headlineError,
      el('div', { class: 'cards' }, Object.values(cards).map((c) => c.node)),
      bandBar, bandLegend),
    el('section', { class: 'panel' },
      el('div', { class: 'section-head' }, el('h2', { text: 'Customers' }), pagerInfo),
      el('div', { class: 'toolbar' }, search, el('div', { class: 'chips', role: 'group', 'aria-label': 'Filter by band' }, chips),
        sortSelect, sizeSelect),
      tilesError, grid,
      el('div', { class: 'pager' }, prev, next)));

  function syncChips() {
    for (const chip of chips) chip.setAttribute('aria-pressed', String(state.levels.has(chip.dataset.level)));
  }

  function remember() {
    Object.assign(saved, { ...state, levels: [...state.levels] });
  }

  windowSelect.addEventListener('change', () => { state.window = windowSelect.value; remember(); loadHeadline(); });
  search.addEventListener('input', debounce(() => { state.q = search.value.trim(); state.offset = 0; loadTiles(); }, 250));
  sortSelect.addEventListener('change', () => { state.sort = sortSelect.value; state.offset = 0; loadTiles(); });
  sizeSelect.addEventListener('change', () => { state.limit = Number(sizeSelect.value); state.offset = 0; loadTiles(); });

  function page(direction) {
    state.offset = Math.max(0, state.offset + direction * state.limit);
    loadTiles();
  }

  // ---- loading ------------------------------------------------------------------------------
  async function loadHeadline() {
    try {
      const o = await get('overview', { range: state.window });
      if (disposed) return;
      fill(headlineError);
      cards.readings.value.textContent = fmtInt(o.readings);
      cards.readings.sub.textContent = 'in the last ' + WINDOWS.find(([v]) => v === state.window)[1];
      if (!cards.rate.live) cards.rate.value.textContent = fmtDec(o.readingsPerSecond);
      cards.rate.sub.textContent = 'window average ' + fmtDec(o.readingsPerSecond) + ' / s';
      cards.active.value.textContent = fmtInt(o.activeCustomers);
      cards.active.sub.textContent = 'with a reading in the window';
      cards.avg.value.textContent = o.readings ? fmtDec(o.avgHeartRate) : '–';
      cards.avg.sub.textContent = 'bpm';
      cards.critical.value.textContent = fmtInt(o.criticalReadings);
      cards.critical.sub.textContent = fmtDec(pct(o.criticalReadings, o.readings)) + ' % of readings';
      drawBands(o.byLevel, o.readings);
    } catch (e) {
      if (!disposed) fill(headlineError, errorBox(e));
    }
  }

  function drawBands(byLevel, total) {
    bandBar.replaceChildren();
    bandLegend.replaceChildren();
    for (const level of LEVELS) {
      const n = byLevel[level] || 0;
      const share = pct(n, total);
      if (share > 0) {
        const segment = el('span', { class: 'band-seg', dataset: { level }, title: `${LEVEL_LABEL[level]}: ${fmtInt(n)}` });
        segment.style.width = share + '%';
        bandBar.append(segment);
      }
      bandLegend.append(el('span', { class: 'legend-item', dataset: { level } },
        el('span', { class: 'dot', dataset: { level } }), LEVEL_LABEL[level] + ' ',
        el('strong', { class: 'band-count', dataset: { level }, text: fmtInt(n) }),
        el('span', { class: 'muted', text: ' (' + fmtDec(share) + ' %)' })));
    }
  }

  async function loadTiles() {
    remember();
    try {
      const page = await get('customers', {
        level: [...state.levels].join(','), q: state.q, sort: state.sort, limit: state.limit, offset: state.offset,
      });
      if (disposed) return;
      fill(tilesError);
      if (page.items.length === 0 && state.offset > 0 && page.matching > 0) {
        state.offset = Math.max(0, Math.floor((page.matching - 1) / state.limit) * state.limit);
        return loadTiles();
      }
      renderTiles(page.items);
      showMuted();
      const first = page.items.length ? state.offset + 1 : 0;
      pagerInfo.textContent = `${fmtInt(first)}–${fmtInt(state.offset + page.items.length)} of ${fmtInt(page.matching)}`;
      prev.disabled = state.offset === 0;
      next.disabled = state.offset + page.items.length >= page.matching;
      const ids = page.items.map((r) => r.customer);
      const key = ids.slice().sort().join(',');
      if (key !== streamKey) {
        streamKey = key;
        restartStream(ids);
      }
      if (key !== sparkKey || Date.now() - sparkLoadedAt > SPARK_REFRESH_MS) {
        sparkKey = key;
        loadSparklines(ids);
      }
    } catch (e) {
      if (!disposed) fill(tilesError, errorBox(e));
    }
  }

  /** Marks the tiles of customers a silence in effect names (a snooze): their alerts are muted. */
  function showMuted() {
    for (const [id, tile] of tiles) {
      const silence = muted.get(id);
      tile.node.dataset.muted = silence ? 'true' : 'false';
      tile.parts.muted.hidden = !silence;
      if (silence) {
        tile.parts.muted.title = `${silence.rule || 'every'} alert muted until ${new Date(silence.over).toLocaleTimeString()}`
          + ` by ${silence.createdBy}: ${silence.reason}`;
      }
    }
  }

  async function loadSparklines(ids) {
    if (!ids.length) return;
    sparkLoadedAt = Date.now();
    try {
      const result = await get('sparklines', { customers: ids.join(','), range: '5m', points: 60 });
      if (disposed) return;
      for (const s of result.series) {
        const tile = tiles.get(s.customer);
        if (tile) {
          tile.spark = { t: s.t.slice(), min: s.min.slice(), max: s.max.slice(), avg: s.avg.slice() };
          drawTileSpark(tile);
        }
      }
    } catch (e) {
      // sparklines are decoration: the tiles stay useful without them
    }
  }

  function renderTiles(items) {
    const keep = new Set(items.map((r) => r.customer));
    for (const [id, tile] of tiles) {
      if (!keep.has(id)) {
        tile.node.remove();
        tiles.delete(id);
      }
    }
    if (!items.length) {
      fill(grid, el('p', { class: 'empty', text: 'No customer matches.' }));
      return;
    }
    const ordered = items.map((reading) => {
      let tile = tiles.get(reading.customer);
      if (!tile) {
        tile = createTile(reading);
        tiles.set(reading.customer, tile);
      }
      updateTile(tile, reading.at, reading.heartRate, reading.level, reading.activity);
      return tile.node;
    });
    grid.replaceChildren(...ordered);
  }

  function createTile(reading) {
    const parts = {
      badge: el('span', { class: 'badge' }),
      bpm: el('span', { class: 'bpm' }),
      spark: document.createElementNS('http://www.w3.org/2000/svg', 'svg'),
      ago: el('span', { class: 'ago' }),
      activity: el('span', { class: 'activity' }),
      muted: el('span', { class: 'muted-badge', text: 'muted', hidden: true }),
    };
    parts.spark.setAttribute('class', 'spark');
    parts.spark.setAttribute('aria-hidden', 'true');
    const node = el('a', {
      class: 'tile', role: 'listitem', href: '#/customer/' + encodeURIComponent(reading.customer),
      dataset: { customer: reading.customer },
    },
    el('div', { class: 'tile-head' }, el('span', { class: 'tile-id', text: reading.customer }), parts.muted, parts.badge),
    el('div', { class: 'tile-main' }, parts.bpm, el('span', { class: 'unit', text: 'bpm' })),
    parts.spark,
    el('div', { class: 'tile-foot' }, parts.ago, parts.activity));
    return { node, parts, atMs: 0, level: null, spark: null };
  }

  function updateTile(tile, at, bpm, level, activity) {
    const atMs = typeof at === 'number' ? at : Date.parse(at);
    if (atMs < tile.atMs) return false;
    tile.atMs = atMs;
    tile.level = level;
    tile.node.dataset.level = level;
    tile.parts.badge.textContent = LEVEL_LABEL[level];
    tile.parts.badge.dataset.level = level;
    tile.parts.bpm.textContent = String(bpm);
    if (activity) tile.parts.activity.textContent = activity;
    tile.parts.ago.textContent = fmtAgo(atMs);
    tile.node.classList.toggle('stale', Date.now() - atMs > STALE_MS);
    return true;
  }

  function drawTileSpark(tile) {
    const now = Date.now();
    drawSparkline(tile.parts.spark, tile.spark, now - SPARK_MS, now, tile.level);
  }

  function onReadings(event) {
    const now = Date.now();
    for (const [id, at, bpm, level] of event.r) {
      const tile = tiles.get(id);
      if (!tile || !updateTile(tile, at, bpm, level, null)) continue;
      tile.node.classList.add('pulse');
      setTimeout(() => tile.node.classList.remove('pulse'), 400);
      if (tile.spark) {
        const s = tile.spark;
        s.t.push(at); s.min.push(bpm); s.max.push(bpm); s.avg.push(bpm);
        while (s.t.length && s.t[0] < now - SPARK_MS) { s.t.shift(); s.min.shift(); s.max.shift(); s.avg.shift(); }
        drawTileSpark(tile);
      }
    }
  }

  function onRate(event) {
    cards.rate.live = true;
    cards.rate.value.textContent = fmtDec(event.perSecond);
  }

  function restartStream(ids) {
    if (stream) stream.close();
    stream = openStream(ids, { readings: onReadings, rate: onRate, status: app.setLive });
  }

  function tickAges() {
    const now = Date.now();
    for (const tile of tiles.values()) {
      if (!tile.atMs) continue;
      tile.parts.ago.textContent = fmtAgo(tile.atMs, now);
      tile.node.classList.toggle('stale', now - tile.atMs > STALE_MS);
    }
  }

  // the inbox reads the silences with the alerts; the tiles take the customers they name from it
  const unmountAlerts = app.meta.alerts ? mountActiveAlerts(alerts, REFRESH_MS, (silences) => {
    muted = new Map(silences.filter((s) => s.state === 'active' && s.customer).map((s) => [s.customer, s]));
    showMuted();
  }) : null;
  loadHeadline();
  loadTiles().then(() => { if (!stream && !disposed) restartStream([]); });
  timers.push(setInterval(loadHeadline, REFRESH_MS));
  timers.push(setInterval(loadTiles, REFRESH_MS));
  timers.push(setInterval(tickAges, 1000));

  return () => {
    disposed = true;
    timers.forEach(clearInterval);
    if (stream) stream.close();
    if (unmountAlerts) unmountAlerts();
  };
}
