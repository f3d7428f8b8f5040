// The page's entry: loads /api/meta once, then shows the view the URL's hash names.

import { get, onSignedIn, signOut, signedInPerson } from './api.js';
import { el, fill, errorBox } from './dom.js';
import { setBands } from './format.js';
import { mountOverview } from './overview.js';
import { mountCustomer } from './customer.js';
import { mountAnomalies, mountRejects } from './feeds.js';
import { mountPipeline } from './pipeline.js';
import { mountAudit } from './audit.js';

const view = document.getElementById('view');
const liveStatus = document.getElementById('live-status');
const LIVE_TEXT = { live: 'live', reconnecting: 'reconnecting…', closed: 'not connected', idle: 'not connected' };

const app = {
  meta: null,
  setLive(state) {
    liveStatus.dataset.state = state;
    liveStatus.textContent = LIVE_TEXT[state] || state;
  },
};

let unmount = null;

/** "#/customer/cust-00001?range=1h" -> { name: 'customer', arg: 'cust-00001', params } */
function parseHash() {
  const hash = window.location.hash.replace(/^#\/?/, '');
  const [path, query] = hash.split('?');
  const [name, ...rest] = path.split('/');
  let arg = rest.join('/');
  try {
    arg = decodeURIComponent(arg);
  } catch (e) {
    arg = '';
  }
  return { name: name || 'overview', arg, params: new URLSearchParams(query || '') };
}

function route() {
  if (unmount) {
    unmount();
    unmount = null;
  }
  app.setLive('idle');
  const { name, arg, params } = parseHash();
  for (const link of document.querySelectorAll('.tabs a')) {
    const current = link.dataset.tab === name || (name === 'customer' && link.dataset.tab === 'overview');
    if (current) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  view.replaceChildren();
  window.scrollTo(0, 0);
  switch (name) {
    case 'customer':
      unmount = mountCustomer(view, app, arg, params);
      document.title = arg + ' · Heartbeat';
      break;
    case 'anomalies':
      unmount = mountAnomalies(view, app, params);
      document.title = 'Anomalies · Heartbeat';
      break;
    case 'rejects':
      unmount = mountRejects(view, app, params);
      document.title = 'Rejects · Heartbeat';
      break;
    case 'pipeline':
      unmount = mountPipeline(view, app, params);
      document.title = 'Pipeline health · Heartbeat';
      break;
    case 'audit':
      unmount = mountAudit(view, app, params);
      document.title = 'Audit trail · Heartbeat';
      break;
    default:
      unmount = mountOverview(view, app, params);
      document.title = 'Heartbeat · live dashboard';
  }
}

/** The signed-in person in the top bar, with a sign-out button (nobody is shown on an open local dashboard). */
function showWho() {
  const who = document.getElementById('who');
  document.getElementById('sign-out').addEventListener('click', () => signOut());
  onSignedIn((person) => {
    const shown = person && person.via === 'session';
    who.hidden = !shown;
    document.getElementById('who-name').textContent = shown ? `${person.username} (${person.role})` : '';
    // the audit trail is for admins; the API refuses everyone else whatever the page shows
    document.getElementById('audit-tab').hidden = !(person && person.role === 'admin');
  });
}

async function start() {
  showWho();
  try {
    await signedInPerson();
  } catch (ignored) {
    // the API's first call below reports what is wrong
  }
  for (let attempt = 0; ; attempt++) {
    try {
      app.meta = await get('meta');
      break;
    } catch (e) {
      fill(view, el('section', { class: 'panel' }, errorBox(e), el('p', { class: 'muted', text: 'Retrying…' })));
      await new Promise((r) => setTimeout(r, Math.min(10000, 1000 * (attempt + 1))));
    }
  }
  setBands(app.meta.levels);
  window.addEventListener('hashchange', route);
  route();
}

start();
