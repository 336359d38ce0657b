// Small helpers to build DOM nodes. Text always goes in as text nodes, never as HTML, so nothing
// from the API (step outputs, error messages) can inject markup.

export const TASK_STATES = ['pending', 'in_progress', 'complete', 'error', 'cancelled'];
export const STEP_STATES = ['pending', 'in_progress', 'waiting_for_retry', 'complete', 'error', 'cancelled',
  'resolved_manually'];
export const WORKER_STATES = ['active', 'draining', 'gone', 'dead'];
export const FINISHED_TASK_STATES = new Set(['complete', 'cancelled']);

const SVG_NS = 'http://www.w3.org/2000/svg';

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function attributes(node, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value);
    } else if (key === 'dataset') {
      Object.assign(node.dataset, value);
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  return node;
}

/** Replaces node's children; null, undefined and false children are left out, arrays flattened. */
export function fill(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

/** h('a', {href: '#/'}, 'text', child…) */
export function h(tag, attrs, ...children) {
  return append(attributes(document.createElement(tag), attrs), children);
}

/** The same for SVG elements. */
export function s(tag, attrs, ...children) {
  return append(attributes(document.createElementNS(SVG_NS, tag), attrs), children);
}

export function label(state) {
  return String(state).replaceAll('_', ' ');
}

export function badge(state) {
  return h('span', { class: 'badge', 'data-state': state }, label(state));
}

export function shortId(id) {
  return id ? String(id).slice(-12) : '';
}

export function time(iso) {
  if (!iso) {
    return h('span', { class: 'muted' }, '—');
  }
  const date = new Date(iso);
  return h('time', { datetime: iso, title: date.toLocaleString(), class: 'when' }, ago(date));
}

export function ago(date) {
  const seconds = Math.round((Date.now() - date.getTime()) / 1000);
  const future = seconds < 0;
  const abs = Math.abs(seconds);
  let text;
  if (abs < 5) {
    return 'just now';
  } else if (abs < 90) {
    text = `${abs} s`;
  } else if (abs < 90 * 60) {
    text = `${Math.round(abs / 60)} min`;
  } else if (abs < 36 * 3600) {
    text = `${Math.round(abs / 3600)} h`;
  } else {
    return date.toLocaleDateString();
  }
  return future ? `in ${text}` : `${text} ago`;
}

export function json(value, extraClass = '') {
  const text = value === null || value === undefined ? 'null' : JSON.stringify(value, null, 2);
  return h('pre', { class: `json ${extraClass}`.trim() }, text);
}

export function errorSummary(error) {
  if (!error) {
    return '';
  }
  const kind = error.error_type || error.error_class;
  const message = error.message || '';
  return kind ? `${kind}: ${message}` : message || JSON.stringify(error);
}

export function problemNotice(error) {
  const problem = error.problem || { title: 'Something went wrong', detail: String(error.message || error) };
  return h('div', { class: 'notice error', role: 'alert' },
    h('strong', {}, problem.title || 'The request failed'),
    problem.detail ? h('p', {}, problem.detail) : null);
}

export function notice(kind, text) {
  return h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

export function empty(text, columns) {
  return h('tr', {}, h('td', { colspan: columns, class: 'empty' }, text));
}

export function progress(done, total) {
  const pct = total > 0 ? Math.round((100 * done) / total) : 0;
  return h('span', { class: 'progress', title: `${done} of ${total} steps done` },
    h('span', { class: 'track', 'aria-hidden': 'true' }, h('span', { class: 'fill', style: `width:${pct}%` })),
    h('span', { class: 'mono' }, `${done}/${total}`));
}

/** Counts by state as a stacked bar and a list; each row links when {@code link} is given. */
export function stateCounts(counts, states, link) {
  const total = states.reduce((sum, state) => sum + (counts[state] || 0), 0);
  const bar = h('div', { class: 'state-bar', role: 'img', 'aria-label': states
    .map((state) => `${label(state)} ${counts[state] || 0}`).join(', ') });
  for (const state of states) {
    if (counts[state]) {
      bar.append(h('span', { 'data-state': state, style: `width:${(100 * counts[state]) / total}%` }));
    }
  }
  const list = h('ul', { class: 'counts' });
  for (const state of states) {
    const name = h('span', {}, h('span', { class: 'swatch', 'data-state': state }), label(state));
    list.append(h('li', {}, link ? h('a', { href: link(state) }, name) : name,
      h('span', { class: 'n' }, (counts[state] || 0).toLocaleString())));
  }
  return [total > 0 ? bar : h('div', { class: 'state-bar', 'aria-hidden': 'true' }), list];
}
