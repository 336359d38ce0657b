// The dashboard: a single page with hash routes. Each view is a function (ctx) that fills
// ctx.main; ctx.every() polls until the route changes.

import { ApiError, setToken, token } from './api.js';
import { h, problemNotice, fill } from './ui.js';
import { overview } from './overview.js';
import { taskList } from './tasks.js';
import { taskPage } from './task.js';
import { deadLetters } from './dead-letters.js';
import { workers } from './workers.js';

const ROUTES = [
  { pattern: /^\/?$/, section: 'overview', view: overview },
  { pattern: /^\/tasks$/, section: 'tasks', view: taskList },
  { pattern: /^\/tasks\/([0-9a-fA-F-]{36})$/, section: 'tasks', view: taskPage },
  { pattern: /^\/dead-letters$/, section: 'dead-letters', view: deadLetters },
  { pattern: /^\/workers$/, section: 'workers', view: workers },
];

const main = document.getElementById('main');
const live = document.getElementById('live');
let current = null;

/** The path and query of the hash: '#/tasks?state=error' gives ['/tasks', URLSearchParams]. */
function parseHash() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = hash.split('?');
  return { path, params: new URLSearchParams(query) };
}

class ViewContext {
  constructor(params, match) {
    this.main = main;
    this.params = params;
    this.match = match;
    this.stopped = false;
    this.timers = new Set();
  }

  /**
   * Runs fn every ms milliseconds (after each run finishes) until the route changes or fn
   * returns false. A failed refresh shows in the top bar and is tried again.
   */
  every(ms, fn) {
    const tick = async () => {
      this.timers.delete(timer);
      if (this.stopped) {
        return;
      }
      let again = true;
      try {
        again = (await fn()) !== false;
        showLive(true);
      } catch (e) {
        if (!this.fail(e)) {
          return;
        }
        showLive(false, e);
      }
      if (again && !this.stopped) {
        timer = setTimeout(tick, ms);
        this.timers.add(timer);
      }
    };
    let timer = setTimeout(tick, ms);
    this.timers.add(timer);
  }

  /** Replaces the page's content, unless the route changed meanwhile. */
  show(...nodes) {
    if (!this.stopped) {
      fill(this.main, ...nodes.flat());
    }
  }

  stop() {
    this.stopped = true;
    this.timers.forEach(clearTimeout);
    this.timers.clear();
  }

  /** Shows the token form on a 401; true when the error was something else (left to the caller). */
  fail(error) {
    if (error instanceof ApiError && error.status === 401) {
      this.stop();
      askForToken(Boolean(token()));
      return false;
    }
    return true;
  }
}

function showLive(ok, error) {
  fill(live);
  if (ok) {
    live.append(h('span', { class: 'dot', 'aria-hidden': 'true' }),
      `Updated ${new Date().toLocaleTimeString()}`);
  } else {
    live.append(`Refresh failed: ${error.message}`);
  }
  if (token()) {
    live.append(h('button', { type: 'button', onclick: () => { setToken(null); route(); } }, 'Forget token'));
  }
}

function askForToken(refused) {
  const input = h('input', { id: 'api-token', type: 'password', autocomplete: 'off', required: true,
    spellcheck: 'false' });
  const form = h('form', {
    onsubmit: (event) => {
      event.preventDefault();
      setToken(input.value.trim());
      route();
    },
  },
  h('label', { for: 'api-token', class: 'field-label' }, 'API token (read or operate)'),
  input,
  h('button', { type: 'submit', class: 'primary' }, 'Use this token'));
  fill(main, h('section', { class: 'card narrow', 'aria-labelledby': 'token-title' },
    h('h1', { id: 'token-title' }, 'Sign in with an API token'),
    refused
      ? h('div', { class: 'notice error', role: 'alert' }, 'The orchestrator refused that token. Try another one.')
      : h('p', { class: 'muted' }, 'This orchestrator has API tokens configured (api_read_tokens, '
        + 'api_operate_tokens). The token is kept in this browser tab only.'),
    form));
  setToken(null);
  input.focus();
}

async function route() {
  current?.stop();
  const { path, params } = parseHash();
  const found = ROUTES.map((r) => ({ r, match: path.match(r.pattern) })).find((x) => x.match);
  for (const link of document.querySelectorAll('.topbar nav a')) {
    if (found && link.dataset.section === found.r.section) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  if (!found) {
    fill(main, h('div', { class: 'notice error', role: 'alert' },
      'No such page. ', h('a', { href: '#/' }, 'Go to the overview.')));
    return;
  }
  const ctx = new ViewContext(params, found.match);
  current = ctx;
  try {
    await found.r.view(ctx);
    if (!ctx.stopped) {
      showLive(true);
    }
  } catch (e) {
    if (ctx.fail(e) && !ctx.stopped) {
      fill(main, problemNotice(e));
    }
  }
}

window.addEventListener('hashchange', () => {
  route();
  main.focus({ preventScroll: true });
});
route();
