// The data pipeline's public surface: `nb.data.*`. Image, text and audio helpers and the built-in
// data sets live in their own folders and join this namespace where index.ts wires them.
import { Dataset } from './dataset.js';
import { fromArrays, fromAsyncIterator, fromGenerator, fromTensors, zip } from './sources.js';
import { imageDataGenerator } from './image/generator.js';
import { imageDatasetFromDirectory } from './image/dataset-from-directory.js';
import { mapInWorkers, WorkerPool } from './worker-pool.js';

export { Dataset, type Batched, type Unbatched, type MapOptions, type BatchOptions, type ShuffleOptions } from './dataset.js';
export { fromArrays, fromTensors, fromGenerator, fromAsyncIterator, zip, type TensorStructure, type Sliced } from './sources.js';
export { mapInWorkers, WorkerPool, type WorkerPoolOptions, type MapInWorkersOptions } from './worker-pool.js';

/**
 * `nb.data`: datasets and their sources (tf.data style). `array` and `generator` are the
 * TensorFlow.js names of fromArrays and fromGenerator, so tfjs pipelines port unchanged.
 */
export const data = {
  Dataset, fromArrays, fromTensors, fromGenerator, fromAsyncIterator, zip, mapInWorkers, WorkerPool, array: fromArrays, generator: fromGenerator,
  imageDataGenerator, imageDatasetFromDirectory,
};
