import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as nb from '../src/index.js';
import { input } from '../src/nn/layers/input-layer.js';
import { layers } from '../src/nn/layers/index.js';
import { Sequential } from '../src/train/sequential.js';
import { formatCount, formatKerasShape, summary } from '../src/train/summary.js';

function capture(fn: (print: (line: string) => void) => string): { lines: string[]; text: string } {
  const lines: string[] = [];
  const text = fn((l) => lines.push(l));
  return { lines, text };
}

describe('summary', () => {
  it('prints the Keras table for a Sequential model: rows, output shapes, parameter counts and totals', () => {
    const model = new Sequential({
      name: 'mlp',
      layers: [
        layers.dense({ units: 64, activation: 'relu', inputShape: [784], name: 'hidden' }),
        layers.batchNormalization({ name: 'bn' }),
        layers.dropout({ rate: 0.2, name: 'drop' }),
        layers.dense({ units: 10, activation: 'softmax', name: 'logits' }),
      ],
    });
    const { lines, text } = capture((printFn) => model.summary({ printFn }));
    const expected = [
      'Model: "mlp"',
      '_________________________________________________________________',
      'Layer (type)                 Output Shape              Param #',
      '=================================================================',
      'hidden (Dense)               (None, 64)                50240',
      '_________________________________________________________________',
      'bn (BatchNormalization)      (None, 64)                256',
      '_________________________________________________________________',
      'drop (Dropout)               (None, 64)                0',
      '_________________________________________________________________',
      'logits (Dense)               (None, 10)                650',
      '=================================================================',
      'Total params: 51,146',
      'Trainable params: 51,018',
      'Non-trainable params: 128',
      '_________________________________________________________________',
    ];
    assert.deepEqual(lines, expected);
    assert.equal(text, expected.join('\n'));
  });

  it('shows convolution shapes as (None, 26, 26, 32) and counts as Keras does', () => {
    const model = new Sequential({
      name: 'cnn',
      layers: [
        layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1], name: 'conv' }),
        layers.maxPooling2d({ poolSize: 2, name: 'pool' }),
        layers.flatten({ name: 'flat' }),
        layers.dense({ units: 10, name: 'out' }),
      ],
    });
    const { lines } = capture((printFn) => summary(model, { printFn }));
    assert.equal(lines[4], 'conv (Conv2D)                (None, 26, 26, 32)        320');
    assert.equal(lines[6], 'pool (MaxPooling2D)          (None, 13, 13, 32)        0');
    assert.equal(lines[8], 'flat (Flatten)               (None, 5408)              0');
    assert.equal(lines[10], 'out (Dense)                  (None, 10)                54090');
    assert.equal(lines[12], 'Total params: 54,410');
  });

  it('functional models add "Connected to" (layer[call][output]); shared layers list every call', () => {
    const inp = input({ shape: [8], name: 'in' });
    const a = layers.dense({ units: 4, name: 'a' }).apply(inp) as nb.SymbolicTensor;
    const shared = layers.dense({ units: 2, name: 'shared' });
    const s0 = shared.apply(a) as nb.SymbolicTensor;
    const s1 = shared.apply(a) as nb.SymbolicTensor;
    const sum = layers.add({ name: 'sum' }).apply([s0, s1]) as nb.SymbolicTensor;
    const model = nb.model({ inputs: inp, outputs: sum, name: 'graph' });
    const { lines } = capture((printFn) => model.summary({ printFn }));
    const rule = '_'.repeat(98);
    assert.deepEqual(lines, [
      'Model: "graph"',
      rule,
      'Layer (type)                    Output Shape         Param #     Connected to',
      '='.repeat(98),
      'in (InputLayer)                 (None, 8)            0',
      rule,
      'a (Dense)                       (None, 4)            36          in[0][0]',
      rule,
      'shared (Dense)                  (None, 2)            10          a[0][0]',
      '                                                                 a[0][0]',
      rule,
      `sum (Add)                       (None, 2)            0           shared[${lines[11]!.includes('shared[1]') ? 1 : 0}][0]`,
      `                                                                 shared[${lines[11]!.includes('shared[1]') ? 0 : 1}][0]`,
      '='.repeat(98),
      'Total params: 46',
      'Trainable params: 46',
      'Non-trainable params: 0',
      rule,
    ]);
  });

  it('wraps long cells onto extra lines, honours lineLength, and refuses an unbuilt model', () => {
    const model = new Sequential({ name: 'm', layers: [layers.dense({ units: 3, inputShape: [2], name: 'a_really_long_layer_name_for_wrapping' })] });
    const { lines } = capture((printFn) => model.summary({ printFn, lineLength: 80 }));
    assert.equal(lines[1], '_'.repeat(80));
    assert.equal(lines[4], 'a_really_long_layer_name_for_       (None, 3)                       9');
    assert.equal(lines[5], 'wrapping (Dense)');
    assert.equal(lines[6], '='.repeat(80));
    const unbuilt = new Sequential({ name: 'u', layers: [layers.dense({ units: 3 })] });
    assert.throws(() => unbuilt.summary({ printFn: () => {} }), (e: Error) => e instanceof nb.ValueError && /not built yet.*inputShape/.test(e.message));
  });

  it('formats shapes and counts like Keras', () => {
    assert.equal(formatKerasShape([null, 26, 26, 32]), '(None, 26, 26, 32)');
    assert.equal(formatKerasShape([null]), '(None,)');
    assert.equal(formatCount(1199882), '1,199,882');
    assert.equal(formatCount(0), '0');
    assert.equal(formatCount(999), '999');
  });
});
