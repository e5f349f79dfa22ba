// Exports the W2 MNIST CNN of a nabla model to an ONNX model (in memory), so ONNX Runtime can run
// the very same weights. The protobuf encoding uses protobufjs with the subset of onnx.proto that
// the graph needs (field numbers as in onnx/onnx.proto).
import protobuf from 'protobufjs';

const ONNX_SUBSET = `
syntax = "proto2";
package onnx;
message AttributeProto {
  enum AttributeType { UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; GRAPH = 5; FLOATS = 6; INTS = 7; STRINGS = 8; }
  optional string name = 1;
  optional AttributeType type = 20;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  repeated float floats = 7;
  repeated int64 ints = 8;
}
message ValueInfoProto { optional string name = 1; optional TypeProto type = 2; }
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  optional string domain = 7;
  repeated AttributeProto attribute = 5;
}
message ModelProto {
  optional int64 ir_version = 1;
  repeated OperatorSetIdProto opset_import = 8;
  optional string producer_name = 2;
  optional string producer_version = 3;
  optional GraphProto graph = 7;
}
message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
}
message TensorProto {
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  optional string name = 8;
  optional bytes raw_data = 9;
}
message TensorShapeProto {
  message Dimension { oneof value { int64 dim_value = 1; string dim_param = 2; } }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { optional int32 elem_type = 1; optional TensorShapeProto shape = 2; }
  oneof value { Tensor tensor_type = 1; }
}
message OperatorSetIdProto { optional string domain = 1; optional int64 version = 2; }
`;

const FLOAT = 1;
const ATTR_INT = 2;
const ATTR_INTS = 7;

interface Attr {
  name: string;
  type: number;
  i?: number;
  ints?: number[];
}

interface Node {
  input: string[];
  output: string[];
  name: string;
  op_type: string;
  attribute: Attr[];
}

interface Initializer {
  name: string;
  dims: number[];
  data_type: number;
  raw_data: Uint8Array;
}

/** One weight of the source model: its values and its shape (nabla layout: conv HWIO, dense [in, out]). */
export interface Weight {
  values: Float32Array;
  shape: readonly number[];
}

const ints = (name: string, v: number[]): Attr => ({ name, type: ATTR_INTS, ints: v });
const int = (name: string, v: number): Attr => ({ name, type: ATTR_INT, i: v });

function f32(name: string, dims: number[], values: Float32Array): Initializer {
  return { name, dims, data_type: FLOAT, raw_data: new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)) };
}

/** HWIO [kH, kW, in, out] → OIHW [out, in, kH, kW]. */
function hwioToOihw(w: Weight): Float32Array {
  const [kh, kw, ci, co] = w.shape as [number, number, number, number];
  const out = new Float32Array(w.values.length);
  for (let h = 0; h < kh; h++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < co; o++) out[((o * ci + i) * kh + h) * kw + x] = w.values[((h * kw + x) * ci + i) * co + o]!;
  return out;
}

function valueInfo(name: string, dims: (number | string)[]): Record<string, unknown> {
  return {
    name,
    type: { tensor_type: { elem_type: FLOAT, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) } } },
  };
}

/**
 * Builds the ONNX model of a conv/pool stack followed by flatten and dense layers, taking NHWC input
 * like the nabla model: Transpose to NCHW, Conv+Relu / MaxPool, Transpose back to NHWC (so Flatten
 * sees the nabla element order), then Gemm layers. `weights` are [kernel, bias] pairs in layer order;
 * the activations of the conv and hidden dense layers are relu, the last one `finalActivation`.
 */
export function buildOnnxCnn(inputShape: readonly [number, number, number], weights: readonly Weight[], finalActivation: 'softmax' | 'sigmoid', outputName = 'output'): Uint8Array {
  const root = protobuf.parse(ONNX_SUBSET, { keepCase: true }).root;
  const ModelProto = root.lookupType('onnx.ModelProto');
  const nodes: Node[] = [];
  const inits: Initializer[] = [];
  let cur = 'input_nchw';
  nodes.push({ input: ['input'], output: [cur], name: 'to_nchw', op_type: 'Transpose', attribute: [ints('perm', [0, 3, 1, 2])] });
  let layer = 0;
  let flattened = false;
  for (let w = 0; w < weights.length; w += 2) {
    const kernel = weights[w]!;
    const bias = weights[w + 1]!;
    const last = w + 2 >= weights.length;
    const id = `l${layer++}`;
    if (kernel.shape.length === 4) {
      const [kh, kw, , co] = kernel.shape as [number, number, number, number];
      inits.push(f32(`${id}_W`, [co, kernel.shape[2]!, kh, kw], hwioToOihw(kernel)), f32(`${id}_B`, [co], bias.values));
      nodes.push({ input: [cur, `${id}_W`, `${id}_B`], output: [`${id}_conv`], name: `${id}_conv`, op_type: 'Conv', attribute: [ints('kernel_shape', [kh, kw])] });
      nodes.push({ input: [`${id}_conv`], output: [`${id}_relu`], name: `${id}_relu`, op_type: 'Relu', attribute: [] });
      nodes.push({ input: [`${id}_relu`], output: [`${id}_pool`], name: `${id}_pool`, op_type: 'MaxPool', attribute: [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])] });
      cur = `${id}_pool`;
    } else {
      if (!flattened) {
        nodes.push({ input: [cur], output: ['features_nhwc'], name: 'to_nhwc', op_type: 'Transpose', attribute: [ints('perm', [0, 2, 3, 1])] });
        nodes.push({ input: ['features_nhwc'], output: ['flat'], name: 'flatten', op_type: 'Flatten', attribute: [int('axis', 1)] });
        cur = 'flat';
        flattened = true;
      }
      const [din, dout] = kernel.shape as [number, number];
      inits.push(f32(`${id}_W`, [din, dout], kernel.values), f32(`${id}_B`, [dout], bias.values));
      nodes.push({ input: [cur, `${id}_W`, `${id}_B`], output: [`${id}_gemm`], name: `${id}_gemm`, op_type: 'Gemm', attribute: [] });
      const act = last ? (finalActivation === 'softmax' ? 'Softmax' : 'Sigmoid') : 'Relu';
      const out = last ? outputName : `${id}_act`;
      nodes.push({ input: [`${id}_gemm`], output: [out], name: `${id}_${act.toLowerCase()}`, op_type: act, attribute: act === 'Softmax' ? [int('axis', -1)] : [] });
      cur = out;
    }
  }
  const outDim = weights[weights.length - 1]!.shape[0]!;
  const model = {
    ir_version: 8,
    opset_import: [{ domain: '', version: 13 }],
    producer_name: 'nabla-bench',
    producer_version: '0',
    graph: {
      node: nodes,
      name: 'nabla_cnn',
      initializer: inits,
      input: [valueInfo('input', ['N', ...inputShape])],
      output: [valueInfo(outputName, ['N', outDim])],
    },
  };
  const err = ModelProto.verify(model);
  if (err) throw new Error(`ONNX export: ${err}`);
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}
