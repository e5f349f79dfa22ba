// The module that WorkerPool threads load to decode images in parallel: it exports the one
// function they run. Its only side effect is loading Node's modules and the PNG codec up front, so
// that the synchronous tasks also work on Node < 20.16 (no process.getBuiltinModule); a failure here
// is ignored and reported by the task that needs the module.
import { imageNodeAsync } from './node.js';
import { loadPngCodec } from './png.js';

await Promise.all([imageNodeAsync(), loadPngCodec()]).catch(() => undefined);

export { runImageTask } from './image-task.js';
