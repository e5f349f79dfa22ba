// A custom training loop, no fit(): Fashion-MNIST with an MLP whose weights are updated by
// autograd and an optimizer directly, PyTorch style — forward, loss, loss.backward(),
// optimizer.step(params), optimizer.zeroGrad(params) — with our own batching, shuffling,
// logging and evaluation.
//
//   npx tsx examples/custom-loop.ts [--epochs 5] [--batch-size 64] [--backend cpu] [--data DIR] [--json FILE]
//
// Data: ../shared/data/fashion-mnist, $NABLA_DATA/fashion-mnist or --data DIR.
import * as nb from '../src/index.js';
import { parseExampleArgs, report } from './args.js';

const { layers } = nb;

const args = parseExampleArgs('custom-loop', { epochs: 5, batchSize: 64 }, {
  limit: { default: 60000, description: 'use only the first N training images' },
});
const start = performance.now();
nb.setSeed(args.seed);

const { train, test, classNames } = await nb.datasets.fashionMnist.load({ dir: args.data });
const n = Math.min(args.extra['limit']!, train.x.shape[0]!);
console.log(`Fashion-MNIST (${classNames.join(', ')}): ${n} training and ${test.x.shape[0]} test images`);

// Any model works: here a Sequential used as a plain function, model.apply(x, {training}).
const model = nb.sequential([
  layers.flatten({ inputShape: [28, 28, 1] }),
  layers.dense({ units: 256, activation: 'relu' }),
  layers.dense({ units: 10 }), // logits
]);
const params = model.trainableWeights;
const optimizer = nb.optimizers.adam({ learningRate: 1e-3 });
const lossFn = nb.losses.sparseCategoricalCrossentropy({ fromLogits: true });

/** Fraction of rows whose highest logit is the label (in inference mode, without a tape). */
function accuracy(x: nb.Tensor, y: nb.Tensor): number {
  return nb.noGrad(() => {
    let correct = 0;
    for (let s = 0; s < x.shape[0]!; s += 1000) {
      const size = Math.min(1000, x.shape[0]! - s);
      const logits = model.apply(nb.slice(x, [s], [size]), { training: false }) as nb.Tensor;
      correct += nb.equal(nb.argmax(logits, -1), nb.slice(y, [s], [size])).cast('int32').sum().item();
    }
    return correct / x.shape[0]!;
  });
}

const random = new nb.Random(args.seed);
for (let epoch = 0; epoch < args.epochs; epoch++) {
  const t = performance.now();
  // Shuffle the first n rows (Fisher-Yates with the seeded generator).
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = random.nextInt(0, i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  let lossSum = 0;
  for (let s = 0; s < n; s += args.batchSize) {
    const idx = order.subarray(s, Math.min(s + args.batchSize, n));
    const xb = nb.gather(train.x, [...idx]);
    const yb = nb.gather(train.y, [...idx]);
    const logits = model.apply(xb, { training: true }) as nb.Tensor;
    const loss = lossFn(yb, logits).mean();
    loss.backward();           // fills .grad of every trainable weight
    optimizer.step(params);    // one Adam update from those .grad
    optimizer.zeroGrad(params);
    lossSum += loss.item() * idx.length;
  }
  console.log(`epoch ${epoch + 1}/${args.epochs}: train loss ${(lossSum / n).toFixed(4)}, test accuracy ${accuracy(test.x, test.y).toFixed(4)} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
}
report('custom-loop', args, start, { testAccuracy: accuracy(test.x, test.y), trainAccuracy: accuracy(nb.slice(train.x, [0], [n]), nb.slice(train.y, [0], [n])), trainImages: n });
