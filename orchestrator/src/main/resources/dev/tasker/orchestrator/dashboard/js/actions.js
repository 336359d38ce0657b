// Operator actions shared by the dead letters page and the task page: retry or resolve a step,
// cancel a task. Each reports through onDone(message) or onError(error).

import { post } from './api.js';
import { h, fill } from './ui.js';

export async function retryStep(stepId) {
  return post(`steps/${stepId}/retry`);
}

export async function cancelTask(taskId) {
  return post(`tasks/${taskId}/cancel`);
}

/**
 * A form with a JSON textarea for the output a step is resolved with. onResolved(step) after the
 * API accepted it; onClose() when dismissed.
 */
export function resolveForm(stepId, onResolved, onClose) {
  const id = `resolve-${stepId}`;
  const textarea = h('textarea', { id, name: 'output', spellcheck: 'false', 'aria-describedby': `${id}-help` },
    '{\n  \n}');
  const message = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Resolve with this output');
  return h('form', {
    class: 'resolve-form',
    onsubmit: async (event) => {
      event.preventDefault();
      let output;
      try {
        output = JSON.parse(textarea.value);
      } catch (e) {
        fill(message, h('p', { class: 'error-text' }, `Not valid JSON: ${e.message}`));
        textarea.focus();
        return;
      }
      if (output === null || typeof output !== 'object' || Array.isArray(output)) {
        fill(message, h('p', { class: 'error-text' }, 'The output must be a JSON object, such as {"value": 1}.'));
        textarea.focus();
        return;
      }
      submit.disabled = true;
      try {
        onResolved(await post(`steps/${stepId}/resolve`, { output }));
      } catch (e) {
        submit.disabled = false;
        fill(message, h('p', { class: 'error-text' }, e.message));
      }
    },
  },
  h('label', { for: id, class: 'field-label' }, 'Output (a JSON object)'),
  textarea,
  h('p', { id: `${id}-help`, class: 'muted', style: 'margin:0.3rem 0' },
    'The step becomes resolved manually and its dependents get this output as its result.'),
  message,
  h('div', { class: 'actions' }, submit, h('button', { type: 'button', onclick: onClose }, 'Close')));
}
