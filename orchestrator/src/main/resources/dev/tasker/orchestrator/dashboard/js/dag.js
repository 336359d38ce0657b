// Draws a task's steps as a DAG in SVG: a column per dependency depth (the longest path from a
// step without dependencies), steps in a column ordered by the mean position of their parents so
// edges cross less. Nodes carry data-step and data-state for the legend's colours (and tests), and
// data-kind; a step that is not standard gets a tag on its top border naming its kind, and a batch
// worker is drawn as a stack of cards, one of several made from the same template.

import { STEP_STATES, h, label, s } from './ui.js';

const NODE_W = 176;
const NODE_H = 54;
const GAP_X = 72;
const GAP_Y = 22;
const PAD = 14;
const TAG_H = 14;
const TAG_CHAR_W = 5.8;

/** The tag on a node's border, by step kind; standard steps have none. */
export const KIND_TAGS = {
  decision: 'decision',
  batchable: 'batchable',
  batch_worker: 'batch worker',
  deferred_convergence: 'convergence',
};

export function layout(steps) {
  const byName = new Map(steps.map((step) => [step.name, step]));
  const depth = new Map();
  const depthOf = (name, path = new Set()) => {
    if (depth.has(name)) {
      return depth.get(name);
    }
    path.add(name);
    let d = 0;
    for (const parent of byName.get(name).depends_on || []) {
      if (byName.has(parent) && !path.has(parent)) {
        d = Math.max(d, depthOf(parent, path) + 1);
      }
    }
    path.delete(name);
    depth.set(name, d);
    return d;
  };
  steps.forEach((step) => depthOf(step.name));
  const columns = [];
  steps.forEach((step) => {
    (columns[depth.get(step.name)] ||= []).push(step);
  });
  const row = new Map();
  columns.forEach((column) => {
    const order = new Map(column.map((step, i) => [step.name, i]));
    const weight = (step) => {
      const parents = (step.depends_on || []).filter((p) => row.has(p));
      return parents.length ? parents.reduce((sum, p) => sum + row.get(p), 0) / parents.length : order.get(step.name);
    };
    column.sort((a, b) => weight(a) - weight(b) || order.get(a.name) - order.get(b.name));
    column.forEach((step, i) => row.set(step.name, i));
  });
  const tallest = Math.max(1, ...columns.map((column) => column.length));
  const height = PAD * 2 + tallest * NODE_H + (tallest - 1) * GAP_Y;
  const width = PAD * 2 + columns.length * NODE_W + Math.max(0, columns.length - 1) * GAP_X;
  const positions = new Map();
  columns.forEach((column, c) => {
    const columnHeight = column.length * NODE_H + (column.length - 1) * GAP_Y;
    const top = (height - columnHeight) / 2;
    column.forEach((step, i) => {
      positions.set(step.name, { x: PAD + c * (NODE_W + GAP_X), y: top + i * (NODE_H + GAP_Y) });
    });
  });
  return { positions, width, height };
}

function clip(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A pill straddling the node's top border at the right, naming its kind; null for a standard step. */
function kindTag(kind) {
  const text = KIND_TAGS[kind];
  if (!text) {
    return null;
  }
  const width = Math.round(text.length * TAG_CHAR_W + 12);
  return s('g', { class: 'kind-tag', transform: `translate(${NODE_W - width - 10},${-TAG_H / 2})` },
    s('rect', { width, height: TAG_H, rx: TAG_H / 2 }),
    s('text', { class: 'kind', x: width / 2, y: TAG_H / 2 + 3.5, 'text-anchor': 'middle' }, text));
}

/**
 * The DAG as an SVG element. onSelect(step) is called on a click, Enter or Space on a node.
 */
export function dag(task, selectedStepId, onSelect) {
  const { positions, width, height } = layout(task.steps);
  const byName = new Map(task.steps.map((step) => [step.name, step]));
  const svg = s('svg', { class: 'dag', width, height, viewBox: `0 0 ${width} ${height}`, role: 'group',
    'aria-label': `Steps of the task as a graph, ${task.steps.length} steps` },
  s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7,
    markerHeight: 7, orient: 'auto-start-reverse' }, s('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#7b869c' }))));
  for (const edge of task.edges) {
    const from = positions.get(edge.from);
    const to = positions.get(edge.to);
    if (!from || !to) {
      continue;
    }
    const x1 = from.x + NODE_W;
    const y1 = from.y + NODE_H / 2;
    const x2 = to.x - 2;
    const y2 = to.y + NODE_H / 2;
    const bend = (x2 - x1) / 2;
    const parent = byName.get(edge.from);
    const done = parent && (parent.state === 'complete' || parent.state === 'resolved_manually');
    svg.append(s('path', { class: `dag-edge${done ? ' done' : ''}`, 'marker-end': 'url(#arrow)',
      d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}` }));
  }
  for (const step of task.steps) {
    const { x, y } = positions.get(step.name);
    const select = () => onSelect(step);
    const tries = step.attempts > 1 || step.state === 'error' ? ` · attempt ${step.attempts}/${step.max_attempts}` : '';
    const kind = step.kind || 'standard';
    const kindText = KIND_TAGS[kind] ? `, ${KIND_TAGS[kind]}` : '';
    svg.append(s('g', {
      class: `dag-node${step.step_id === selectedStepId ? ' selected' : ''}`,
      transform: `translate(${x},${y})`,
      tabindex: 0,
      role: 'button',
      'aria-pressed': step.step_id === selectedStepId ? 'true' : 'false',
      'aria-label': `Step ${step.name}${kindText}, ${label(step.state)}`,
      'data-step': step.name,
      'data-step-id': step.step_id,
      'data-state': step.state,
      'data-kind': kind,
      onclick: select,
      onkeydown: (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          select();
        }
      },
    },
    s('title', {}, `${step.name} (${step.handler}${kindText}): ${label(step.state)}`),
    kind === 'batch_worker' ? s('rect', { class: 'stack', x: 4, y: 4, width: NODE_W, height: NODE_H, rx: 9 }) : null,
    s('rect', { class: 'card', width: NODE_W, height: NODE_H, rx: 9 }),
    s('text', { class: 'name', x: 12, y: 22 }, clip(step.name, 21)),
    s('text', { class: 'sub', x: 12, y: 40 }, clip(label(step.state) + tries, 27)),
    kindTag(kind)));
  }
  return svg;
}

export function legend() {
  return h('ul', { class: 'legend', 'aria-label': 'Colours of the step states' },
    STEP_STATES.map((state) => h('li', {}, h('span', { class: 'swatch', 'data-state': state }), label(state))));
}
