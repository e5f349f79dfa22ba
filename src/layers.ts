import { textVectorization } from './data/text/index.js';
import { layers as coreLayers } from './nn/layers/index.js';

/**
 * `nb.layers`: the Keras layer factories. TextVectorization lives in data/text (it works on
 * strings, above nn/ in the layering), so the public object is composed here.
 */
export const layers = { ...coreLayers, textVectorization };
