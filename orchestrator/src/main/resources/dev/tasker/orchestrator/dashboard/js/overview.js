// Overview: tasks and steps by state, steps finished per minute, workers, the newest tasks.

import { get } from './api.js';
import { TASK_STATES, STEP_STATES, WORKER_STATES, badge, h, progress, s, stateCounts, time } from './ui.js';

export async function overview(ctx) {
  const draw = async () => {
    const [data, recent, letters] = await Promise.all([
      get('overview'), get('tasks?limit=8'), get('dead-letters?limit=500')]);
    ctx.show(render(data, recent.tasks, letters.dead_letters.length));
  };
  await draw();
  ctx.every(5000, draw);
}

function render(data, recent, openLetters) {
  const tasks = data.tasks || {};
  const workers = data.workers || {};
  const total = Object.values(tasks).reduce((a, b) => a + b, 0);
  const lastMinutes = data.throughput || [];
  const perMinute = lastMinutes.length ? lastMinutes[lastMinutes.length - 1].steps_completed : 0;
  const stat = (labelText, value, href, alert) => h(href ? 'a' : 'div',
    { class: `stat${alert ? ' alert' : ''}`, href },
    h('div', { class: 'label' }, labelText), h('div', { class: 'value' }, value.toLocaleString()));
  return [
    h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Overview'),
      h('p', { class: 'muted' }, 'Every orchestrator on this database shows the same tasks; throughput is this one\'s.'))),
    h('div', { class: 'stats' },
      stat('Tasks', total, '#/tasks'),
      stat('In progress', (tasks.in_progress || 0) + (tasks.pending || 0), '#/tasks?state=pending,in_progress'),
      stat('In error', tasks.error || 0, '#/tasks?state=error', (tasks.error || 0) > 0),
      stat('Open dead letters', openLetters >= 500 ? '500+' : openLetters, '#/dead-letters', openLetters > 0),
      stat('Active workers', workers.active || 0, '#/workers'),
      stat('Steps this minute', perMinute)),
    h('div', { class: 'grid grid-3' },
      h('section', { class: 'card', 'aria-labelledby': 'tasks-by-state' },
        h('h2', { id: 'tasks-by-state' }, 'Tasks by state'),
        stateCounts(tasks, TASK_STATES, (state) => `#/tasks?state=${state}`)),
      h('section', { class: 'card', 'aria-labelledby': 'steps-by-state' },
        h('h2', { id: 'steps-by-state' }, 'Steps by state'),
        stateCounts(data.steps || {}, STEP_STATES)),
      h('section', { class: 'card', 'aria-labelledby': 'workers-by-state' },
        h('h2', { id: 'workers-by-state' }, 'Workers by state'),
        stateCounts(workers, WORKER_STATES),
        h('p', {}, h('a', { href: '#/workers' }, 'All workers →')))),
    h('div', { class: 'grid grid-2', style: 'margin-top:1rem' },
      h('section', { class: 'card', 'aria-labelledby': 'throughput' },
        h('h2', { id: 'throughput' }, 'Steps finished per minute, last 15 minutes'),
        chart(lastMinutes)),
      h('section', { class: 'card', 'aria-labelledby': 'recent' },
        h('h2', { id: 'recent' }, 'Newest tasks'),
        recentTable(recent),
        h('p', {}, h('a', { href: '#/tasks' }, 'All tasks →')))),
  ];
}

function minuteLabel(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** A bar per minute as inline SVG, with the count in each bar's tooltip. */
function chart(points) {
  const width = 560;
  const height = 190;
  const left = 40;
  const bottom = 24;
  const top = 10;
  const max = Math.max(1, ...points.map((p) => p.steps_completed));
  const scale = niceCeiling(max);
  const plotHeight = height - bottom - top;
  const slot = (width - left - 4) / Math.max(1, points.length);
  const total = points.reduce((sum, p) => sum + p.steps_completed, 0);
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': `Steps finished per minute over the last ${points.length} minutes: ${total} in all, `
      + `at most ${max} in one minute` });
  for (const fraction of [0, 0.5, 1]) {
    const y = top + plotHeight * (1 - fraction);
    svg.append(s('line', { class: 'axis', x1: left, x2: width, y1: y, y2: y }),
      s('text', { x: left - 6, y: y + 4, 'text-anchor': 'end' }, String(Math.round(scale * fraction))));
  }
  if (total === 0) {
    svg.append(s('text', { x: left + (width - left) / 2, y: top + plotHeight * 0.75, 'text-anchor': 'middle',
      class: 'chart-empty' }, 'No steps finished here in these minutes'));
  }
  points.forEach((point, i) => {
    const barHeight = (plotHeight * point.steps_completed) / scale;
    const x = left + i * slot + slot * 0.15;
    svg.append(s('rect', { class: 'bar', x, y: top + plotHeight - barHeight, width: slot * 0.7,
      height: Math.max(barHeight, point.steps_completed > 0 ? 1.5 : 0), rx: 2 },
    s('title', {}, `${minuteLabel(point.minute)}: ${point.steps_completed} steps`)));
    if (i % 5 === 0 || i === points.length - 1) {
      svg.append(s('text', { x: x + slot * 0.35, y: height - 6, 'text-anchor': 'middle' },
        i === points.length - 1 ? 'now' : minuteLabel(point.minute)));
    }
  });
  return svg;
}

function niceCeiling(n) {
  const power = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= n) {
      return Math.max(2, step * power);
    }
  }
  return n;
}

function recentTable(tasks) {
  const body = h('tbody');
  if (!tasks.length) {
    body.append(h('tr', {}, h('td', { colspan: 4, class: 'empty' }, 'No tasks yet.')));
  }
  for (const task of tasks) {
    body.append(h('tr', {},
      h('td', {}, h('a', { href: `#/tasks/${task.task_id}` }, `${task.namespace}/${task.name}`)),
      h('td', {}, badge(task.state)),
      h('td', {}, progress(task.done_steps, task.total_steps)),
      h('td', {}, time(task.created_at))));
  }
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Template'), h('th', { scope: 'col' }, 'State'),
      h('th', { scope: 'col' }, 'Steps'), h('th', { scope: 'col' }, 'Created'))),
    body));
}
