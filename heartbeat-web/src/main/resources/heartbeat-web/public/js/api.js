// The JSON API and the live stream, with the optional bearer token.
// The token lives in sessionStorage (this tab only) and travels in the Authorization header,
// also for the live stream, which is read with fetch() rather than EventSource for that reason:
// EventSource cannot send headers, and a token in the URL would end up in logs.

const TOKEN_KEY = 'heartbeat.token';

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.error = body && body.error;
    this.parameter = body && body.parameter;
  }
}

let tokenPrompt = null;

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

function headers(extra) {
  const h = Object.assign({ Accept: 'application/json' }, extra || {});
  const t = token();
  if (t) h.Authorization = 'Bearer ' + t;
  return h;
}

/** Asks for the token once for all callers that got a 401 at the same time. */
function askToken(rejected) {
  if (!tokenPrompt) {
    tokenPrompt = new Promise((resolve) => {
      const dialog = document.getElementById('token-dialog');
      const form = document.getElementById('token-form');
      const input = document.getElementById('token-input');
      const error = document.getElementById('token-error');
      error.hidden = !rejected;
      error.textContent = rejected ? 'That token was not accepted.' : '';
      input.value = '';
      const onSubmit = (event) => {
        event.preventDefault();
        const value = input.value.trim();
        if (!value) return;
        sessionStorage.setItem(TOKEN_KEY, value);
        form.removeEventListener('submit', onSubmit);
        dialog.close();
        tokenPrompt = null;
        resolve();
      };
      form.addEventListener('submit', onSubmit);
      dialog.addEventListener('cancel', (e) => e.preventDefault(), { once: true });
      dialog.showModal();
      input.focus();
    });
  }
  return tokenPrompt;
}

/** GET /api/<path> with query parameters (null/empty values are left out); resolves to the JSON body. */
export async function get(path, params, signal) {
  const url = new URL('/api/' + path, window.location.origin);
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== null && v !== undefined && v !== '') url.searchParams.set(k, String(v));
  }
  for (let attempt = 0; ; attempt++) {
    const hadToken = !!token();
    const response = await fetch(url, { headers: headers(), signal, cache: 'no-store' });
    if (response.status === 401 && attempt < 5) {
      await askToken(hadToken);
      continue;
    }
    let body = null;
    try {
      body = await response.json();
    } catch (ignored) {
      body = null;
    }
    if (!response.ok) throw new ApiError(response.status, body);
    return body;
  }
}

/**
 * POST /api/<path> with a JSON body (the only write: acknowledging an alert). The server accepts
 * application/json only, which a cross-site form cannot send. Resolves to the JSON answer.
 */
export async function post(path, body) {
  const url = new URL('/api/' + path, window.location.origin);
  for (let attempt = 0; ; attempt++) {
    const hadToken = !!token();
    const response = await fetch(url, {
      method: 'POST', headers: headers({ 'Content-Type': 'application/json' }), body: JSON.stringify(body), cache: 'no-store',
    });
    if (response.status === 401 && attempt < 5) {
      await askToken(hadToken);
      continue;
    }
    let answer = null;
    try {
      answer = await response.json();
    } catch (ignored) {
      answer = null;
    }
    if (!response.ok) throw new ApiError(response.status, answer);
    return answer;
  }
}

/**
 * Opens the live stream for some customers and calls handlers.readings / handlers.rate /
 * handlers.hello with each event's parsed data. Reconnects with back-off until close() is called.
 * handlers.status(state) hears 'live' or 'reconnecting'.
 */
export function openStream(customers, handlers) {
  let closed = false;
  let controller = null;
  let failures = 0;
  const status = handlers.status || (() => {});

  async function connect() {
    while (!closed) {
      controller = new AbortController();
      try {
        const url = new URL('/api/stream', window.location.origin);
        if (customers.length) url.searchParams.set('customers', customers.join(','));
        const hadToken = !!token();
        const response = await fetch(url, {
          headers: headers({ Accept: 'text/event-stream' }), signal: controller.signal, cache: 'no-store',
        });
        if (response.status === 401) {
          await askToken(hadToken);
          continue;
        }
        if (!response.ok || !response.body) throw new Error('stream answered HTTP ' + response.status);
        failures = 0;
        status('live');
        await readEvents(response.body, (name, data) => {
          const handler = handlers[name];
          if (handler) handler(JSON.parse(data));
        });
        if (!closed) throw new Error('stream ended');
      } catch (e) {
        if (closed) break;
        failures++;
        status('reconnecting');
        await new Promise((r) => setTimeout(r, Math.min(10000, 500 * 2 ** Math.min(failures, 5))));
      }
    }
    // closed by its view: the next view sets the status itself
  }

  connect();
  return {
    close() {
      closed = true;
      if (controller) controller.abort();
    },
  };
}

/** Parses text/event-stream from a ReadableStream: "event:" and "data:" lines, a blank line ends an event. */
async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let name = 'message';
  let data = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      let line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line === '') {
        if (data.length) onEvent(name, data.join('\n'));
        name = 'message';
        data = [];
      } else if (line.startsWith(':')) {
        // a keep-alive comment
      } else if (line.startsWith('event:')) {
        name = line.slice(6).trim();
      } else if (line.startsWith('data:')) {
        data.push(line.slice(5).replace(/^ /, ''));
      }
    }
  }
}
