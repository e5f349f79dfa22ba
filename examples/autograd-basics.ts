// Tensors and autograd in a few lines: fit y = 3x − 2 with reverse-mode autograd and plain
// gradient descent. Run with `npx tsx examples/autograd-basics.ts`.
import * as nb from '../src/index.js';

const x = nb.randomUniform([256, 1], -1, 1, { seed: 1 });
const noise = nb.randomNormal([256, 1], 0, 0.05, { seed: 2 });
const y = x.mul(3).sub(2).add(noise);

const w = nb.zeros([1, 1]).requiresGrad();
const b = nb.zeros([1]).requiresGrad();
const learningRate = 0.5;

for (let step = 0; step <= 100; step++) {
  w.grad = null;
  b.grad = null;
  const loss = x.matmul(w).add(b).sub(y).square().mean();
  loss.backward();
  // Update in place without recording: the parameters stay the same leaf tensors.
  nb.noGrad(() => {
    w.assign(w.sub(w.grad!.mul(learningRate)));
    b.assign(b.sub(b.grad!.mul(learningRate)));
  });
  if (step % 20 === 0) console.log(`step ${String(step).padStart(3)}  loss ${loss.item().toFixed(6)}`);
}
console.log(`learned w = ${w.item().toFixed(3)} (true 3), b = ${b.item().toFixed(3)} (true -2)`);
