// Entry point of the nabla WebAssembly kernels: every export the TypeScript wrapper calls.
export { gemm, gemmBatch, gemmTileRows, gemmWorkspaceBytes } from './gemm';
export {
  conv2dRows, conv2dBackpropInputRows, conv2dBackpropFilterRows, convWorkspaceBytes,
  depthwiseRows, depthwiseBackpropInputImages, depthwiseBackpropFilterRows,
} from './conv';
export { maxPoolRows, maxPoolBackpropImages, avgPoolRows, avgPoolBackpropImages } from './pool';
export { unary, binary } from './elementwise';
export { reduce } from './reduce';
export { biasActivation, softmax, softmaxCrossEntropy } from './fused';
export { sgdUpdate, adamUpdate } from './optim';
export { addInto, copyF32, fillF32 } from './simd';

/** First byte after the module's static data: the TypeScript arena starts above it. */
export function heapBase(): usize {
  return __heap_base;
}
