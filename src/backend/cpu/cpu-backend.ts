import type { Backend } from '../backend.js';
import * as conv from './conv.js';
import { binary, unary, where } from './elementwise.js';
import { activationGrad, biasActivation, softmax, softmaxCrossEntropy } from './fused.js';
import { matmul } from './matmul.js';
import { copyStrided, gather, scatterAdd } from './movement.js';
import { adamUpdate, sgdUpdate } from './optim.js';
import * as pool from './pool.js';
import { argReduce, reduce } from './reduce.js';

/** The reference backend: plain TypeScript, always available, the standard the others are tested against. */
export const cpuBackend: Backend = {
  name: 'cpu',
  unary,
  binary,
  where,
  reduce,
  argReduce,
  copyStrided,
  gather,
  scatterAdd,
  matmul,
  ...conv,
  ...pool,
  biasActivation,
  activationGrad,
  softmax,
  softmaxCrossEntropy,
  sgdUpdate,
  adamUpdate,
};
