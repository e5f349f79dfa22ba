// The module that WorkerPool threads load to decode images in parallel: it exports the one
// function they run. Kept free of side effects so that importing it anywhere is harmless.
export { runImageTask } from './image-task.js';
