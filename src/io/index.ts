// Saving and loading (Node file system; the safetensors codec itself is pure and works anywhere).
export { save, saveWeights, type SaveOptions } from './save.js';
export { loadModel, loadWeights, type LoadOptions } from './load.js';
export { encodeSafetensors, decodeSafetensors, type SafetensorsContents } from './safetensors.js';
export type { FileSystem } from './files.js';
export { FORMAT_NAME, FORMAT_VERSION, MODEL_FILE, WEIGHTS_FILE, type ModelDocument } from './topology.js';
