// Dead letters: steps that failed for good. Retry, resolve with an output, or cancel the task.

import { get } from './api.js';
import { cancelTask, resolveForm, retryStep } from './actions.js';
import { empty, errorSummary, h, label, notice, problemNotice, shortId, time, fill } from './ui.js';

export async function deadLetters(ctx) {
  const open = ctx.params.get('open') !== 'false';
  const flash = h('div', { id: 'flash', 'aria-live': 'polite' });
  const table = h('div', { class: 'table-wrap' });
  const load = async () => {
    const letters = (await get(`dead-letters?open=${open}&limit=500`)).dead_letters;
    fill(table, open ? openTable(letters, act) : closedTable(letters));
  };
  const act = async (button, action, message) => {
    if (button) {
      button.disabled = true;
    }
    try {
      await action();
      await load();
      fill(flash, notice('ok', message));
    } catch (e) {
      if (button) {
        button.disabled = false;
      }
      if (ctx.fail(e)) {
        fill(flash, problemNotice(e));
      }
    }
  };
  await load();
  ctx.show(
    h('div', { class: 'page-head' },
      h('div', {}, h('h1', {}, 'Dead letters'),
        h('p', { class: 'muted' }, 'Steps that failed for good: out of attempts, a permanent failure, or a lost worker.')),
      h('button', { type: 'button', onclick: () => load().catch((e) => ctx.fail(e) && fill(flash, problemNotice(e))) },
        'Refresh')),
    h('nav', { class: 'tabs', 'aria-label': 'Dead letters' },
      h('a', { href: '#/dead-letters', 'aria-current': open ? 'page' : null }, 'Open'),
      h('a', { href: '#/dead-letters?open=false', 'aria-current': open ? null : 'page' }, 'Closed')),
    flash,
    h('section', { class: 'card' }, table));
}

function stepLink(letter) {
  return h('a', { href: `#/tasks/${letter.task_id}?step=${letter.step_id}` }, letter.step_name);
}

function openTable(letters, act) {
  const body = h('tbody');
  if (!letters.length) {
    body.append(empty('No open dead letters. Every failed step has been dealt with.', 7));
  }
  for (const letter of letters) {
    const formRow = h('tr', { hidden: true }, h('td', { colspan: 7 }));
    const closeForm = () => {
      formRow.hidden = true;
      fill(formRow.firstChild);
    };
    const who = `step ${letter.step_name} of task ${shortId(letter.task_id)}`;
    body.append(h('tr', { 'data-step-id': letter.step_id },
      h('td', {}, stepLink(letter)),
      h('td', {}, h('a', { href: `#/tasks/${letter.task_id}`, class: 'mono', title: letter.task_id },
        shortId(letter.task_id))),
      h('td', {}, label(letter.reason)),
      h('td', { class: 'num' }, String(letter.attempts)),
      h('td', { class: 'error-text' }, errorSummary(letter.last_error)),
      h('td', {}, time(letter.created_at)),
      h('td', {}, h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', 'data-action': 'retry', 'aria-label': `Retry ${who}`,
          onclick: (event) => act(event.currentTarget, () => retryStep(letter.step_id),
            `Step ${letter.step_name} is pending again with fresh attempts.`) }, 'Retry'),
        h('button', { type: 'button', 'data-action': 'resolve', 'aria-label': `Resolve ${who} by hand`,
          onclick: () => {
            formRow.hidden = false;
            fill(formRow.firstChild, resolveForm(letter.step_id, () => {
              closeForm();
              act(null, async () => {}, `Step ${letter.step_name} is resolved manually.`);
            }, closeForm));
            formRow.querySelector('textarea').focus();
          } }, 'Resolve…'),
        h('button', { type: 'button', class: 'danger', 'data-action': 'cancel', 'aria-label': `Cancel the task of ${who}`,
          onclick: (event) => {
            if (confirm(`Cancel task ${letter.task_id}? Its unfinished steps will not run.`)) {
              act(event.currentTarget, () => cancelTask(letter.task_id), `Task ${shortId(letter.task_id)} is cancelled.`);
            }
          } }, 'Cancel task')))),
    formRow);
  }
  return h('table', { id: 'dead-letter-table' },
    h('thead', {}, h('tr', {}, ['Step', 'Task', 'Reason', 'Attempts', 'Last error', 'Since', 'Actions']
      .map((title) => h('th', { scope: 'col', class: title === 'Attempts' ? 'num' : null }, title)))),
    body);
}

function closedTable(letters) {
  const body = h('tbody');
  if (!letters.length) {
    body.append(empty('No closed dead letters.', 6));
  }
  for (const letter of letters) {
    body.append(h('tr', {},
      h('td', {}, stepLink(letter)),
      h('td', {}, h('a', { href: `#/tasks/${letter.task_id}`, class: 'mono' }, shortId(letter.task_id))),
      h('td', {}, label(letter.reason)),
      h('td', { class: 'error-text' }, errorSummary(letter.last_error)),
      h('td', {}, letter.resolution ? label(letter.resolution) : '—'),
      h('td', {}, time(letter.resolved_at))));
  }
  return h('table', {},
    h('thead', {}, h('tr', {}, ['Step', 'Task', 'Reason', 'Last error', 'Resolution', 'Closed']
      .map((title) => h('th', { scope: 'col' }, title)))),
    body);
}
