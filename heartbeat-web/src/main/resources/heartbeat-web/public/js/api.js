// The JSON API and the live stream, as the signed-in person.
// Signing in sets a session cookie the page's script cannot read (HttpOnly) and no other site's
// request carries (SameSite=Strict); every request from this page sends it by itself. On a 401 the
// page asks for a user name and password once for all callers, signs in, and tries again.

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.error = body && body.error;
    this.parameter = body && body.parameter;
  }
}

let signInPrompt = null;
let signedIn = null;
const whoListeners = [];

function headers(extra) {
  return Object.assign({ Accept: 'application/json' }, extra || {});
}

/** Calls listener(person) now and whenever the signed-in person changes ({username, role} or null). */
export function onSignedIn(listener) {
  whoListeners.push(listener);
  listener(signedIn);
}

function setSignedIn(person) {
  signedIn = person;
  for (const listener of whoListeners) listener(person);
}

/** Who is signed in ({username, role, via}), or null; asks for a sign-in first when nobody is. */
export async function signedInPerson() {
  const response = await fetch('/api/session', { headers: headers(), cache: 'no-store' });
  const me = response.ok ? await response.json() : null;
  if (me && !me.signedIn) {
    await askSignIn();
  } else {
    setSignedIn(me);
  }
  return signedIn;
}

export async function signOut() {
  await fetch('/api/session', { method: 'DELETE', headers: headers(), cache: 'no-store' });
  setSignedIn(null);
  window.location.reload();
}

/** Asks for a user name and password once for all callers that got a 401 at the same time, and signs in. */
function askSignIn() {
  if (!signInPrompt) {
    signInPrompt = new Promise((resolve) => {
      const dialog = document.getElementById('sign-in-dialog');
      const form = document.getElementById('sign-in-form');
      const user = document.getElementById('sign-in-user');
      const password = document.getElementById('sign-in-password');
      const error = document.getElementById('sign-in-error');
      error.hidden = true;
      password.value = '';
      const onSubmit = async (event) => {
        event.preventDefault();
        const response = await fetch('/api/session', {
          method: 'POST', headers: headers({ 'Content-Type': 'application/json' }), cache: 'no-store',
          body: JSON.stringify({ username: user.value.trim(), password: password.value }),
        });
        password.value = '';
        if (!response.ok) {
          let body = null;
          try { body = await response.json(); } catch (ignored) { body = null; }
          error.textContent = (body && body.message) || `Sign-in failed (HTTP ${response.status}).`;
          error.hidden = false;
          return;
        }
        setSignedIn(await response.json());
        form.removeEventListener('submit', onSubmit);
        dialog.close();
        signInPrompt = null;
        resolve();
      };
      form.addEventListener('submit', onSubmit);
      dialog.addEventListener('cancel', (e) => e.preventDefault(), { once: true });
      dialog.showModal();
      (user.value ? password : user).focus();
    });
  }
  return signInPrompt;
}

/** GET /api/<path> with query parameters (null/empty values are left out); resolves to the JSON body. */
export async function get(path, params, signal) {
  const url = new URL('/api/' + path, window.location.origin);
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== null && v !== undefined && v !== '') url.searchParams.set(k, String(v));
  }
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(url, { headers: headers(), signal, cache: 'no-store' });
    if (response.status === 401 && attempt < 5) {
      await askSignIn();
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
 * POST /api/<path> with a JSON body (acknowledging an alert). The server accepts
 * application/json only, which a cross-site form cannot send. Resolves to the JSON answer.
 */
export async function post(path, body) {
  const url = new URL('/api/' + path, window.location.origin);
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(url, {
      method: 'POST', headers: headers({ 'Content-Type': 'application/json' }), body: JSON.stringify(body), cache: 'no-store',
    });
    if (response.status === 401 && attempt < 5) {
      await askSignIn();
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
        const response = await fetch(url, {
          headers: headers({ Accept: 'text/event-stream' }), signal: controller.signal, cache: 'no-store',
        });
        if (response.status === 401) {
          await askSignIn();
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
