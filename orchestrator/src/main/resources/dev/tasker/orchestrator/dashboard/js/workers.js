// Workers: every worker this database knows, with its state, handlers, credit and heartbeat.

import { get } from './api.js';
import { WORKER_STATES, badge, empty, h, time, fill } from './ui.js';

export async function workers(ctx) {
  const table = h('div', { class: 'table-wrap' });
  const summary = h('p', { class: 'muted' });
  const load = async () => {
    const list = (await get('workers')).workers;
    const order = (w) => WORKER_STATES.indexOf(w.state);
    list.sort((a, b) => order(a) - order(b) || a.worker_id.localeCompare(b.worker_id));
    const counts = WORKER_STATES.map((state) => [state, list.filter((w) => w.state === state).length])
      .filter(([, n]) => n > 0).map(([state, n]) => `${n} ${state}`);
    fill(summary, list.length ? `${counts.join(', ')}. Refreshes every 5 seconds.` : 'No workers yet.');
    fill(table, workersTable(list));
  };
  await load();
  ctx.show(
    h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Workers'), summary)),
    h('section', { class: 'card' }, table));
  ctx.every(5000, load);
}

function workersTable(list) {
  const body = h('tbody');
  if (!list.length) {
    body.append(empty('No worker has connected to this database.', 6));
  }
  for (const worker of list) {
    body.append(h('tr', {},
      h('td', { class: 'mono' }, worker.worker_id),
      h('td', {}, badge(worker.state)),
      h('td', {}, worker.language, worker.sdk_version ? h('span', { class: 'muted' }, ` ${worker.sdk_version}`) : null),
      h('td', { class: 'num' }, String(worker.concurrency)),
      h('td', {}, worker.handlers.map((handler) => h('span', { class: 'chip' }, handler))),
      h('td', {}, time(worker.last_heartbeat_at))));
  }
  return h('table', { id: 'worker-table' },
    h('thead', {}, h('tr', {}, ['Worker', 'State', 'Language', 'Concurrency', 'Handlers', 'Last heartbeat']
      .map((title) => h('th', { scope: 'col', class: title === 'Concurrency' ? 'num' : null }, title)))),
    body);
}
