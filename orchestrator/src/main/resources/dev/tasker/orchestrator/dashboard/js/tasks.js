// The task list: filters by state, namespace and name; keyset pages of 25, newest first.

import { get } from './api.js';
import { TASK_STATES, badge, empty, h, label, progress, shortId, time, fill } from './ui.js';

const PAGE_SIZE = 25;
// The cursors of the pages before this one, so "Newer" can go back; reset when filters change.
let earlier = [];
let earlierFilter = '';

export async function taskList(ctx) {
  const filter = {
    state: ctx.params.get('state') || '',
    namespace: ctx.params.get('namespace') || '',
    name: ctx.params.get('name') || '',
  };
  const after = ctx.params.get('after') || '';
  const filterKey = JSON.stringify(filter);
  if (filterKey !== earlierFilter || !after) {
    earlier = [];
    earlierFilter = filterKey;
  }
  const query = (extra) => {
    const q = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...filter, ...extra })) {
      if (value) {
        q.set(key, value);
      }
    }
    return q.toString();
  };
  const [templates, first] = await Promise.all([
    get('templates').catch(() => ({ templates: [] })),
    get(`tasks?${query({ after, limit: PAGE_SIZE })}`)]);
  const table = h('div', { class: 'table-wrap' });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });
  const drawPage = (page) => {
    fill(table, tasksTable(page.tasks));
    fill(pager,
      after ? h('a', { class: 'button', href: `#/tasks?${query({})}` }, '« Newest') : null,
      after ? h('a', { class: 'button', href: `#/tasks?${query({ after: earlier[earlier.length - 1] || '' })}`,
        onclick: () => { earlier.pop(); } }, '‹ Newer') : null,
      page.next ? h('a', { class: 'button', href: `#/tasks?${query({ after: page.next })}`,
        onclick: () => { earlier.push(after); } }, 'Older ›') : null);
  };
  drawPage(first);
  ctx.show(
    h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Tasks'),
      h('p', { class: 'muted' }, after ? 'Older tasks, newest first.' : 'Newest first; this page refreshes every 5 seconds.'))),
    h('section', { class: 'card' }, filters(filter, templates.templates), table, pager));
  if (!after) {
    ctx.every(5000, async () => drawPage(await get(`tasks?${query({ limit: PAGE_SIZE })}`)));
  }
}

function filters(filter, templates) {
  const namespaces = [...new Set(templates.map((t) => t.namespace))].sort();
  const names = [...new Set(templates.map((t) => t.name))].sort();
  const state = h('select', { id: 'filter-state', name: 'state' },
    h('option', { value: '' }, 'Any state'),
    TASK_STATES.map((value) => h('option', { value, selected: filter.state === value }, label(value))));
  if (filter.state && !TASK_STATES.includes(filter.state)) {
    state.append(h('option', { value: filter.state, selected: true }, label(filter.state)));
  }
  const namespace = h('input', { id: 'filter-namespace', name: 'namespace', value: filter.namespace,
    list: 'known-namespaces', placeholder: 'any', autocomplete: 'off' });
  const name = h('input', { id: 'filter-name', name: 'name', value: filter.name, list: 'known-names',
    placeholder: 'any', autocomplete: 'off' });
  return h('form', {
    class: 'filters',
    role: 'search',
    onsubmit: (event) => {
      event.preventDefault();
      const q = new URLSearchParams();
      for (const [key, input] of [['state', state], ['namespace', namespace], ['name', name]]) {
        if (input.value.trim()) {
          q.set(key, input.value.trim());
        }
      }
      location.hash = `#/tasks${q.toString() ? `?${q}` : ''}`;
    },
  },
  h('div', { class: 'field' }, h('label', { for: 'filter-state' }, 'State'), state),
  h('div', { class: 'field' }, h('label', { for: 'filter-namespace' }, 'Namespace'), namespace),
  h('div', { class: 'field' }, h('label', { for: 'filter-name' }, 'Template name'), name),
  h('datalist', { id: 'known-namespaces' }, namespaces.map((value) => h('option', { value }))),
  h('datalist', { id: 'known-names' }, names.map((value) => h('option', { value }))),
  h('button', { type: 'submit', class: 'primary' }, 'Filter'),
  filter.state || filter.namespace || filter.name ? h('a', { class: 'button', href: '#/tasks' }, 'Clear') : null);
}

function tasksTable(tasks) {
  const body = h('tbody');
  if (!tasks.length) {
    body.append(empty('No tasks match.', 7));
  }
  for (const task of tasks) {
    body.append(h('tr', {},
      h('td', {}, h('a', { href: `#/tasks/${task.task_id}`, class: 'mono', title: task.task_id },
        shortId(task.task_id))),
      h('td', {}, `${task.namespace}/${task.name}`, h('span', { class: 'muted' }, ` ${task.version}`)),
      h('td', {}, badge(task.state)),
      h('td', {}, progress(task.done_steps, task.total_steps)),
      h('td', { class: 'num' }, String(task.priority)),
      h('td', {}, time(task.created_at)),
      h('td', {}, time(task.completed_at))));
  }
  return h('table', { id: 'task-table' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Task'), h('th', { scope: 'col' }, 'Template'), h('th', { scope: 'col' }, 'State'),
      h('th', { scope: 'col' }, 'Steps'), h('th', { scope: 'col', class: 'num' }, 'Priority'),
      h('th', { scope: 'col' }, 'Created'), h('th', { scope: 'col' }, 'Finished'))),
    body);
}
