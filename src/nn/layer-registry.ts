// Layer classes by className, for deserialization: the built-in ones (LAYER_CLASSES) plus the custom
// layers users register, as Keras' custom_objects and tf.serialization.registerClass.
import { ValueError } from '../tensor/errors.js';
import { Layer } from './layer.js';
import { LAYER_CLASSES, type LayerClass } from './layers/index.js';

export type { LayerClass } from './layers/index.js';

const custom = new Map<string, LayerClass>();

/**
 * Registers a custom layer class under `className` so that a saved model using it can be loaded.
 * The class must extend Layer and accept its own getConfig() output as constructor argument.
 * Registering a name again replaces the earlier class; built-in names cannot be taken.
 */
export function registerLayer(className: string, cls: LayerClass): void {
  if (typeof className !== 'string' || className.length === 0) {
    throw new ValueError(`registerLayer: className must be a non-empty string, got ${JSON.stringify(className)}`);
  }
  if (typeof cls !== 'function' || !(cls.prototype instanceof Layer)) {
    throw new ValueError(`registerLayer: '${className}' must be registered with a class that extends Layer`);
  }
  if (Object.prototype.hasOwnProperty.call(LAYER_CLASSES, className)) {
    throw new ValueError(`registerLayer: '${className}' is a built-in layer; choose another className`);
  }
  custom.set(className, cls);
}

/** Every className the registry knows: built-in first, then registered ones. */
export function layerClassNames(): string[] {
  return [...Object.keys(LAYER_CLASSES), ...custom.keys()];
}

/** The class registered under `className`; an unknown name gives a ValueError listing the known ones. */
export function getLayerClass(className: string): LayerClass {
  const cls = Object.prototype.hasOwnProperty.call(LAYER_CLASSES, className) ? LAYER_CLASSES[className] : custom.get(className);
  if (cls === undefined) {
    throw new ValueError(
      `unknown layer class '${String(className)}'; register custom layers with registerLayer(className, cls). Known: ${layerClassNames().join(', ')}`,
    );
  }
  return cls;
}

/** Rebuilds a layer from its className and getConfig() output. */
export function layerFromConfig(className: string, config: Record<string, unknown>): Layer {
  const cls = getLayerClass(className);
  return new cls(config as never);
}
