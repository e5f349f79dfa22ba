// Node's built-in modules for the image file and folder loaders, loaded lazily (see
// io/node-modules.ts): the image modules are part of the browser-safe graph of src/index.ts, so none
// of them imports a `node:` module at the top level. Decoding bytes and the transforms need no Node.
import { type NodeModules, nodeModules, nodeModulesSync } from '../../io/node-modules.js';

const WHAT = 'Reading image files and folders (loadImage, flowFromDirectory, imageDatasetFromDirectory)';

/** Node's modules, synchronously (Node ≥ 20.16, or after an async loader ran); throws outside Node. */
export function imageNode(): NodeModules {
  return nodeModulesSync(WHAT);
}

/** Node's modules, loaded on first use; throws outside Node. */
export function imageNodeAsync(): Promise<NodeModules> {
  return nodeModules(WHAT);
}

/** Node's path.join (normalising, platform separators), loaded lazily. */
export function joinPath(...parts: string[]): string {
  return imageNode().path.join(...parts);
}
