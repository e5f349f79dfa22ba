// Kernel entry points shared between the kernel files and the Node-API glue (addon.cc).
#pragma once

#include <cstdint>

#include "common.h"

namespace nb {

// Op ids: keep in sync with src/backend/native/native-backend.ts.
enum UnaryId {
  U_NEG, U_ABS, U_SIGN, U_EXP, U_EXPM1, U_LOG, U_LOG1P, U_SQRT, U_RSQRT, U_SQUARE, U_RECIPROCAL, U_SIN, U_COS,
  U_TAN, U_TANH, U_SIGMOID, U_ERF, U_FLOOR, U_CEIL, U_ROUND, U_RELU, U_SOFTPLUS,
  U_FLOAT_COUNT,
  // float → bool (uint8) outputs
  U_ISNAN = 100, U_ISFINITE, U_LOGICALNOT,
};
enum BinaryId {
  B_ADD, B_SUB, B_MUL, B_DIV, B_POW, B_MAXIMUM, B_MINIMUM, B_MOD, B_ATAN2,
  B_FLOAT_COUNT,
  // float → bool (uint8) outputs
  B_EQUAL = 100, B_NOTEQUAL, B_LESS, B_LESSEQUAL, B_GREATER, B_GREATEREQUAL, B_LOGICALAND, B_LOGICALOR, B_LOGICALXOR,
};
enum ReduceId { R_SUM, R_PROD, R_MAX, R_MIN };
enum ActId { A_LINEAR, A_RELU, A_SIGMOID, A_TANH };

/** Returns false when the op id is unknown for this output type. */
bool unary_f32(int op, const float* x, float* out, idx n);
bool unary_u8(int op, const float* x, std::uint8_t* out, idx n);

/**
 * Broadcast binary op. `rank` dims with out shape `shape` and element strides `sa`/`sb` (0 for
 * broadcast dims) for a and b; out is contiguous.
 */
bool binary_f32(int op, const float* a, const float* b, float* out, int rank, const idx* shape, const idx* sa, const idx* sb);
bool binary_u8(int op, const float* a, const float* b, std::uint8_t* out, int rank, const idx* shape, const idx* sa, const idx* sb);

bool reduce(int op, const float* x, idx outer, idx n, idx inner, float* out);
void bias_activation(const float* x, const float* bias, float* out, idx rows, idx cols, int act);
void activation_grad(int act, const float* y, const float* dy, float* out, idx n);
void softmax(const float* x, float* out, idx rows, idx n, bool log);
void softmax_cross_entropy(const float* logits, const float* targets, float* loss, float* grad, idx rows, idx n);
void sgd_update(float* param, const float* grad, float* velocity, idx n, float lr, float momentum, bool nesterov, float wd);
void adam_update(float* param, const float* grad, float* m, float* v, idx n, float lr, float beta1, float beta2,
                 float step_size, float eps_hat, float wd, bool decoupled);
void copy_strided(const float* src, idx src_off, const idx* src_strides, float* dst, idx dst_off, const idx* dst_strides,
                  const idx* shape, int rank);

/** Convolution geometry (NHWC input, HWIO filter), as in the Backend interface's ConvInfo. */
struct ConvGeom {
  idx batch, inH, inW, inC, outH, outW, outC, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft;
  idx multiplier;  // depthwise only
};
void conv2d(const float* x, const float* f, float* y, const ConvGeom& g, const Epilogue* epi = nullptr);
void conv2d_backprop_input(const float* dy, const float* f, float* dx, const ConvGeom& g);
void conv2d_backprop_filter(const float* x, const float* dy, float* df, const ConvGeom& g);
/** Direct AVX-512 kernels for few input channels (conv_direct.cc); false when they do not apply here. */
bool conv2d_direct(const float* x, const float* f, float* y, const ConvGeom& g, const Epilogue* epi);
bool conv2d_backprop_filter_direct(const float* x, const float* dy, float* df, const ConvGeom& g);
void depthwise_conv2d(const float* x, const float* f, float* y, const ConvGeom& g);
void depthwise_backprop_input(const float* dy, const float* f, float* dx, const ConvGeom& g);
void depthwise_backprop_filter(const float* x, const float* dy, float* df, const ConvGeom& g);

struct PoolGeom {
  idx batch, inH, inW, channels, outH, outW, kH, kW, strideH, strideW, padTop, padLeft;
};
void max_pool(const float* x, float* y, const PoolGeom& g);
void max_pool_backprop(const float* dy, const float* x, float* dx, const PoolGeom& g);
void avg_pool(const float* x, float* y, const PoolGeom& g);
void avg_pool_backprop(const float* dy, float* dx, const PoolGeom& g);

}  // namespace nb
