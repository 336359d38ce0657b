// One task: its DAG (live while the task runs), the selected step's details, the steps table.

import { get } from './api.js';
import { cancelTask, resolveForm, retryStep } from './actions.js';
import { KIND_TAGS, dag, legend } from './dag.js';
import {
  FINISHED_TASK_STATES, badge, empty, errorSummary, fill, h, json, label, notice, problemNotice, shortId, time,
} from './ui.js';

const POLL_MS = 1500;
const RUNNING = new Set(['pending', 'in_progress']);

export async function taskPage(ctx) {
  const taskId = ctx.match[1];
  let task = await get(`tasks/${taskId}`);
  let selectedId = ctx.params.get('step');
  let step = null;
  let polling = false;

  const head = h('div', { class: 'page-head' });
  const flash = h('div', { id: 'flash', 'aria-live': 'polite' });
  const graph = h('div', { class: 'dag-scroll' });
  const panel = h('aside', { class: 'card', id: 'step-panel', 'aria-labelledby': 'step-title' });
  const table = h('div', { class: 'table-wrap' });
  const details = h('section', { class: 'card', 'aria-labelledby': 'task-details' });

  const say = (kind, text) => fill(flash, notice(kind, text));
  const failed = (e) => {
    if (ctx.fail(e)) {
      fill(flash, problemNotice(e));
    }
  };

  const select = async (stepId) => {
    selectedId = stepId;
    history.replaceState(null, '', `#/tasks/${taskId}?step=${stepId}`);
    step = await get(`steps/${stepId}`);
    drawTask();
    drawPanel();
    document.querySelector(`#step-panel h2`)?.focus();
  };

  const afterAction = async (message) => {
    say('ok', message);
    await refresh();
    startPolling();
  };

  const drawHead = () => {
    const cancellable = !FINISHED_TASK_STATES.has(task.state);
    fill(head,
      h('div', {},
        h('p', { class: 'muted', style: 'margin:0' }, h('a', { href: '#/tasks' }, 'Tasks'), ' / ',
          h('span', { class: 'mono' }, shortId(task.task_id))),
        h('h1', {}, `${task.namespace}/${task.name} `, h('span', { class: 'muted', style: 'font-weight:400' },
          task.version), ' ', badge(task.state)),
        h('p', { class: 'muted' }, `${task.done_steps} of ${task.total_steps} steps done · created `,
          time(task.created_at), task.completed_at ? [' · finished ', time(task.completed_at)] : null,
          RUNNING.has(task.state) ? ' · updating live' : null)),
      cancellable ? h('div', { class: 'actions' }, h('button', {
        type: 'button',
        class: 'danger',
        id: 'cancel-task',
        onclick: async (event) => {
          if (!confirm(`Cancel task ${task.task_id}? Its unfinished steps will not run.`)) {
            return;
          }
          event.target.disabled = true;
          try {
            await cancelTask(task.task_id);
            await afterAction('The task is cancelled.');
          } catch (e) {
            event.target.disabled = false;
            failed(e);
          }
        },
      }, 'Cancel task')) : null);
  };

  const drawTask = () => {
    drawHead();
    const focused = document.activeElement?.dataset?.step;
    fill(graph, dag(task, selectedId, (s) => select(s.step_id).catch(failed)));
    if (focused) {
      graph.querySelector(`[data-step="${CSS.escape(focused)}"]`)?.focus();
    }
    fill(table, stepsTable(task.steps, selectedId, (s) => select(s.step_id).catch(failed)));
  };

  const drawPanel = () => {
    if (!step) {
      fill(panel, h('h2', { id: 'step-title' }, 'Step'),
        h('p', { class: 'muted' }, 'Select a step in the graph or the table to see its input, output, error, '
          + 'attempts and the batches it went out in.'));
      return;
    }
    fill(panel, ...stepDetail(step, {
      creator: task.steps.find((each) => each.step_id === step.created_by),
      select: (s) => select(s.step_id).catch(failed),
      retry: async () => {
        try {
          await retryStep(step.step_id);
          await afterAction(`Step ${step.name} is pending again with fresh attempts.`);
        } catch (e) {
          failed(e);
        }
      },
      resolve: (slot) => fill(slot, resolveForm(step.step_id,
        (resolved) => afterAction(`Step ${resolved.name} is resolved manually.`).catch(failed),
        () => fill(slot))),
    }));
  };

  const refresh = async () => {
    task = await get(`tasks/${taskId}`);
    if (selectedId) {
      step = await get(`steps/${selectedId}`);
    }
    drawTask();
    if (!panel.querySelector('form')) {
      drawPanel();
    }
    return RUNNING.has(task.state);
  };

  const startPolling = () => {
    if (polling || !RUNNING.has(task.state)) {
      return;
    }
    polling = true;
    ctx.every(POLL_MS, async () => {
      const again = await refresh();
      polling = again;
      return again;
    });
  };

  if (selectedId) {
    step = await get(`steps/${selectedId}`).catch(() => null);
  }
  drawTask();
  drawPanel();
  fill(details, h('h2', { id: 'task-details' }, 'Task'), taskDetails(task));
  ctx.show(head, flash,
    h('div', { class: 'grid grid-task' },
      h('section', { class: 'card', 'aria-labelledby': 'graph-title' },
        h('h2', { id: 'graph-title' }, 'Graph'), graph, legend()),
      panel),
    h('section', { class: 'card', 'aria-labelledby': 'steps-title' }, h('h2', { id: 'steps-title' }, 'Steps'), table),
    details);
  startPolling();
}

function stepsTable(steps, selectedId, onSelect) {
  const body = h('tbody');
  if (!steps.length) {
    body.append(empty('This task has no steps.', 6));
  }
  for (const step of steps) {
    body.append(h('tr', { class: step.step_id === selectedId ? 'selected' : null },
      h('td', {}, h('a', { href: `#/tasks/${step.task_id}?step=${step.step_id}`, onclick: (event) => {
        event.preventDefault();
        onSelect(step);
      } }, step.name), kindChip(step.kind)),
      h('td', { class: 'mono' }, step.handler),
      h('td', {}, badge(step.state)),
      h('td', { class: 'num' }, `${step.attempts}/${step.max_attempts}`),
      h('td', {}, (step.depends_on || []).join(', ') || h('span', { class: 'muted' }, '—')),
      h('td', { class: step.last_error ? 'error-text' : '' }, errorSummary(step.last_error)),
      h('td', {}, time(step.completed_at))));
  }
  return h('table', {},
    h('thead', {}, h('tr', {}, ['Step', 'Handler', 'State', 'Attempts', 'Depends on', 'Last error', 'Finished']
      .map((title) => h('th', { scope: 'col', class: title === 'Attempts' ? 'num' : null }, title)))),
    body);
}

function kindChip(kind) {
  return KIND_TAGS[kind] ? h('span', { class: 'chip kind-chip', title: `step kind: ${label(kind)}` }, KIND_TAGS[kind])
    : null;
}

/** Who created a step at run time: the creating step, selectable, or its id if not in the task. */
function createdBy(step, creator, select) {
  if (!step.created_by) {
    return null;
  }
  const who = creator ? h('a', { href: `#/tasks/${step.task_id}?step=${creator.step_id}`, onclick: (event) => {
    event.preventDefault();
    select(creator);
  } }, creator.name) : h('span', { class: 'mono' }, step.created_by);
  return [h('dt', {}, 'Created by'), h('dd', {}, who, h('span', { class: 'muted' }, ' at run time'))];
}

/** What the orchestrator gave a step it created (a batch worker's cursor), and its last checkpoint. */
function dynamicInputs(step) {
  const inputs = step.inputs;
  return [
    inputs ? h('div', { class: 'step-inputs' },
      inputs.cursor ? [h('h3', {}, 'Cursor'), json(inputs.cursor)] : [h('h3', {}, 'Inputs'), json(inputs)]) : null,
    step.checkpoint ? h('div', { class: 'step-checkpoint' },
      h('h3', {}, 'Checkpoint'), json(step.checkpoint)) : null,
  ];
}

function stepDetail(step, { creator, select, retry, resolve }) {
  const formSlot = h('div');
  const operable = step.state === 'error';
  const kind = step.kind || 'standard';
  return [
    h('h2', { id: 'step-title', tabindex: '-1' }, `Step ${step.name} `, badge(step.state)),
    h('dl', { class: 'meta' },
      h('dt', {}, 'Kind'), h('dd', {}, label(kind)),
      createdBy(step, creator, select),
      step.inputs?.worker_template ? [h('dt', {}, 'Worker template'),
        h('dd', { class: 'mono' }, step.inputs.worker_template)] : null,
      h('dt', {}, 'Handler'), h('dd', { class: 'mono' }, step.handler),
      h('dt', {}, 'Attempts'), h('dd', {}, `${step.attempts} of ${step.max_attempts}`),
      h('dt', {}, 'Depends on'), h('dd', {}, (step.depends_on || []).join(', ') || '—'),
      h('dt', {}, 'Last attempt'), h('dd', {}, time(step.last_attempted_at)),
      step.next_attempt_at ? [h('dt', {}, 'Next attempt'), h('dd', {}, time(step.next_attempt_at))] : null,
      h('dt', {}, 'Finished'), h('dd', {}, time(step.completed_at)),
      h('dt', {}, 'Step id'), h('dd', { class: 'mono' }, step.step_id)),
    operable ? h('div', { class: 'actions', style: 'margin-top:0.9rem' },
      h('button', { type: 'button', class: 'primary', onclick: retry }, 'Retry step'),
      h('button', { type: 'button', onclick: () => resolve(formSlot) }, 'Resolve by hand…')) : null,
    formSlot,
    h('h3', {}, 'Input'), json(step.input),
    dynamicInputs(step),
    h('h3', {}, 'Output'), json(step.output),
    h('h3', {}, 'Error'), step.last_error ? json(step.last_error, 'error') : h('p', { class: 'muted' }, 'None.'),
    h('h3', {}, `Batches (${step.batches.length})`), batchesTable(step.batches),
  ];
}

function batchesTable(batches) {
  if (!batches.length) {
    return h('p', { class: 'muted' }, 'Not sent to a worker yet.');
  }
  return h('div', { class: 'table-wrap' }, h('table', { class: 'batches' },
    h('thead', {}, h('tr', {}, ['Attempt', 'Batch', 'Worker', 'Sent', 'Outcome']
      .map((title) => h('th', { scope: 'col' }, title)))),
    h('tbody', {}, batches.map((batch) => h('tr', {},
      h('td', { class: 'num' }, String(batch.attempt)),
      h('td', { class: 'mono', title: `${batch.batch_id} (batch ${label(batch.state)})` }, shortId(batch.batch_id)),
      h('td', { class: 'mono', title: batch.worker_id }, shortId(batch.worker_id)),
      h('td', {}, time(batch.created_at)),
      h('td', {}, batch.outcome ? h('span', { class: batch.outcome === 'failed' ? 'error-text' : '' }, batch.outcome)
        : h('span', { class: 'muted' }, 'no answer yet')))))));
}

function taskDetails(task) {
  return [
    h('dl', { class: 'meta' },
      h('dt', {}, 'Task id'), h('dd', { class: 'mono' }, task.task_id),
      h('dt', {}, 'Template'), h('dd', {}, task.template),
      h('dt', {}, 'Priority'), h('dd', {}, String(task.priority)),
      task.initiator ? [h('dt', {}, 'Initiator'), h('dd', {}, task.initiator)] : null,
      task.source_system ? [h('dt', {}, 'Source system'), h('dd', {}, task.source_system)] : null,
      task.reason ? [h('dt', {}, 'Reason'), h('dd', {}, task.reason)] : null),
    h('h3', {}, 'Context'), json(task.context),
  ];
}
