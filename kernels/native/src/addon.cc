// Node-API bindings. Every kernel takes the tensors' own typed arrays (no copies) plus a
// Float64Array of integer/real parameters, validates the lengths it is about to touch (a wrong
// length throws instead of corrupting memory), and runs with flush-to-zero set only for its
// duration, so JavaScript's arithmetic on this thread is never affected.
#define NAPI_VERSION 8
#include <node_api.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "gemm.h"
#include "ops.h"
#include "storage.h"

namespace nb {
namespace {

struct Ctx {
  napi_env env;
  napi_value argv[8];
  std::size_t argc = 8;
  bool failed = false;

  Ctx(napi_env e, napi_callback_info info) : env(e) {
    if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) fail("bad call");
  }

  void fail(const char* msg, bool range = false) {
    if (failed) return;
    failed = true;
    if (range) napi_throw_range_error(env, nullptr, msg);
    else napi_throw_type_error(env, nullptr, msg);
  }

  bool is_nullish(std::size_t i) {
    if (i >= argc) return true;
    napi_valuetype t;
    napi_typeof(env, argv[i], &t);
    return t == napi_null || t == napi_undefined;
  }

  void* typed(std::size_t i, napi_typedarray_type want, std::size_t* len, const char* what) {
    if (failed) return nullptr;
    napi_typedarray_type type;
    std::size_t length = 0;
    void* data = nullptr;
    napi_value ab;
    std::size_t off = 0;
    if (i >= argc || napi_get_typedarray_info(env, argv[i], &type, &length, &data, &ab, &off) != napi_ok || type != want) {
      char buf[128];
      std::snprintf(buf, sizeof buf, "nabla native: argument %zu (%s) must be a %s", i, what,
                    want == napi_float32_array ? "Float32Array" : want == napi_uint8_array ? "Uint8Array" : "Float64Array");
      fail(buf);
      return nullptr;
    }
    *len = length;
    // A zero-length array may have no backing store; hand out a valid dummy pointer.
    static float dummy[16];
    return data != nullptr ? data : dummy;
  }

  float* f32(std::size_t i, std::size_t* len, const char* what) {
    return static_cast<float*>(typed(i, napi_float32_array, len, what));
  }
  const double* params(std::size_t i, std::size_t need) {
    std::size_t len = 0;
    auto* p = static_cast<const double*>(typed(i, napi_float64_array, &len, "params"));
    if (p != nullptr && len < need) {
      fail("nabla native: parameter array too short", true);
      return nullptr;
    }
    return p;
  }
  int32_t int_arg(std::size_t i) {
    int32_t v = 0;
    if (!failed && (i >= argc || napi_get_value_int32(env, argv[i], &v) != napi_ok)) fail("nabla native: expected an integer argument");
    return v;
  }
  bool need(std::size_t have, double want, const char* what) {
    if (failed) return false;
    if (want < 0 || double(have) < want) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "nabla native: %s has %zu elements, needs %.0f", what, have, want);
      fail(buf, true);
      return false;
    }
    return true;
  }
  napi_value undefined() {
    napi_value u;
    napi_get_undefined(env, &u);
    return u;
  }
};

#define NB_FN(name) napi_value name(napi_env env, napi_callback_info info)

NB_FN(Unary) {
  Ctx c(env, info);
  FtzScope ftz;
  int op = c.int_arg(0);
  std::size_t nx = 0, no = 0;
  const float* x = c.f32(1, &nx, "x");
  if (c.failed) return nullptr;
  napi_typedarray_type ot;
  void* od;
  napi_value ab;
  std::size_t off;
  if (c.argc < 3 || napi_get_typedarray_info(env, c.argv[2], &ot, &no, &od, &ab, &off) != napi_ok) {
    c.fail("nabla native: out must be a typed array");
    return nullptr;
  }
  if (!c.need(no, double(nx), "out")) return nullptr;
  bool ok = false;
  if (ot == napi_float32_array) ok = unary_f32(op, x, static_cast<float*>(od), idx(nx));
  else if (ot == napi_uint8_array) ok = unary_u8(op, x, static_cast<std::uint8_t*>(od), idx(nx));
  if (!ok) c.fail("nabla native: unsupported unary op / output type");
  return nullptr;
}

NB_FN(Binary) {
  Ctx c(env, info);
  FtzScope ftz;
  int op = c.int_arg(0);
  std::size_t na = 0, nb_ = 0, no = 0;
  const float* a = c.f32(1, &na, "a");
  const float* b = c.f32(2, &nb_, "b");
  const double* p = c.params(4, 1);
  if (c.failed) return nullptr;
  int rank = int(p[0]);
  if (rank < 0 || rank > 16) {
    c.fail("nabla native: rank out of range", true);
    return nullptr;
  }
  p = c.params(4, std::size_t(1 + 3 * rank));
  if (c.failed) return nullptr;
  idx shape[16], sa[16], sb[16];
  double total = 1, ma = 0, mb = 0;
  for (int d = 0; d < rank; d++) {
    shape[d] = idx(p[1 + d]);
    sa[d] = idx(p[1 + rank + d]);
    sb[d] = idx(p[1 + 2 * rank + d]);
    total *= double(shape[d]);
    if (shape[d] > 0) {
      ma += double(sa[d]) * double(shape[d] - 1);
      mb += double(sb[d]) * double(shape[d] - 1);
    }
  }
  napi_typedarray_type ot;
  void* od;
  napi_value ab;
  std::size_t off;
  if (c.argc < 4 || napi_get_typedarray_info(env, c.argv[3], &ot, &no, &od, &ab, &off) != napi_ok) {
    c.fail("nabla native: out must be a typed array");
    return nullptr;
  }
  if (total > 0 && (!c.need(na, ma + 1, "a") || !c.need(nb_, mb + 1, "b") || !c.need(no, total, "out"))) return nullptr;
  bool ok = false;
  if (ot == napi_float32_array) ok = binary_f32(op, a, b, static_cast<float*>(od), rank, shape, sa, sb);
  else if (ot == napi_uint8_array) ok = binary_u8(op, a, b, static_cast<std::uint8_t*>(od), rank, shape, sa, sb);
  if (!ok) c.fail("nabla native: unsupported binary op / output type");
  return nullptr;
}

NB_FN(Reduce) {
  Ctx c(env, info);
  FtzScope ftz;
  int op = c.int_arg(0);
  std::size_t nx = 0, no = 0;
  const float* x = c.f32(1, &nx, "x");
  float* out = c.f32(2, &no, "out");
  const double* p = c.params(3, 3);
  if (c.failed) return nullptr;
  idx outer = idx(p[0]), n = idx(p[1]), inner = idx(p[2]);
  if (!c.need(nx, double(outer) * double(n) * double(inner), "x") || !c.need(no, double(outer) * double(inner), "out")) return nullptr;
  if (!reduce(op, x, outer, n, inner, out)) c.fail("nabla native: unsupported reduce op");
  return nullptr;
}

/** Reads an optional epilogue: argument i the bias (a Float32Array of ≥ cols, or null), i+1 the activation id. */
bool read_epilogue(Ctx& c, std::size_t i, idx cols, Epilogue& e) {
  if (c.argc <= i + 1) return true;
  if (!c.is_nullish(i)) {
    std::size_t nbias = 0;
    e.bias = c.f32(i, &nbias, "bias");
    if (c.failed || !c.need(nbias, double(cols), "bias")) return false;
  }
  e.act = c.int_arg(i + 1);
  if (!c.failed && (e.act < A_LINEAR || e.act > A_TANH)) c.fail("nabla native: unknown activation id", true);
  return !c.failed;
}

NB_FN(Matmul) {
  Ctx c(env, info);
  FtzScope ftz;
  std::size_t na = 0, nb_ = 0, no = 0;
  const float* a = c.f32(0, &na, "a");
  const float* b = c.f32(1, &nb_, "b");
  float* out = c.f32(2, &no, "out");
  const double* p = c.params(3, 8);
  if (c.failed) return nullptr;
  idx batch = idx(p[0]), m = idx(p[1]), n = idx(p[2]), k = idx(p[3]);
  bool ta = p[4] != 0, tb = p[5] != 0;
  idx as = idx(p[6]), bs = idx(p[7]);
  if (batch <= 0 || m <= 0 || n <= 0) return nullptr;
  if (!c.need(na, double(batch - 1) * double(as) + double(m) * double(k), "a") ||
      !c.need(nb_, double(batch - 1) * double(bs) + double(k) * double(n), "b") ||
      !c.need(no, double(batch) * double(m) * double(n), "out"))
    return nullptr;
  Epilogue e{nullptr, A_LINEAR};
  if (!read_epilogue(c, 4, n, e)) return nullptr;
  matmul_batched(a, b, out, batch, m, n, k, ta, tb, as, bs, c.argc > 5 ? &e : nullptr);
  return nullptr;
}

bool read_conv(Ctx& c, std::size_t i, ConvGeom& g) {
  const double* p = c.params(i, 16);
  if (c.failed) return false;
  idx* const fields[16] = {&g.batch, &g.inH, &g.inW, &g.inC, &g.outH, &g.outW, &g.outC, &g.kH,
                           &g.kW, &g.strideH, &g.strideW, &g.dilationH, &g.dilationW, &g.padTop, &g.padLeft, &g.multiplier};
  for (int j = 0; j < 16; j++) *fields[j] = idx(p[j]);
  if (g.strideH <= 0 || g.strideW <= 0 || g.dilationH <= 0 || g.dilationW <= 0) {
    c.fail("nabla native: strides and dilations must be positive", true);
    return false;
  }
  return true;
}

double conv_x(const ConvGeom& g) { return double(g.batch) * double(g.inH) * double(g.inW) * double(g.inC); }
double conv_y(const ConvGeom& g) { return double(g.batch) * double(g.outH) * double(g.outW) * double(g.outC); }
double conv_f(const ConvGeom& g) { return double(g.kH) * double(g.kW) * double(g.inC) * double(g.outC); }
double dw_f(const ConvGeom& g) { return double(g.kH) * double(g.kW) * double(g.outC); }

enum ConvKind { CONV_FWD, CONV_BWD_IN, CONV_BWD_F, DW_FWD, DW_BWD_IN, DW_BWD_F };

napi_value conv_common(napi_env env, napi_callback_info info, ConvKind kind) {
  Ctx c(env, info);
  FtzScope ftz;
  std::size_t n0 = 0, n1 = 0, n2 = 0;
  const float* t0 = c.f32(0, &n0, "arg0");
  const float* t1 = c.f32(1, &n1, "arg1");
  float* t2 = c.f32(2, &n2, "out");
  ConvGeom g;
  if (c.failed || !read_conv(c, 3, g)) return nullptr;
  const bool dw = kind >= DW_FWD;
  if (dw && g.outC != g.inC * g.multiplier) {
    c.fail("nabla native: depthwise outC must be inC·multiplier", true);
    return nullptr;
  }
  const double fs = dw ? dw_f(g) : conv_f(g);
  bool ok = true;
  switch (kind) {
    case CONV_FWD:
    case DW_FWD:
      ok = c.need(n0, conv_x(g), "x") && c.need(n1, fs, "filter") && c.need(n2, conv_y(g), "y");
      break;
    case CONV_BWD_IN:
    case DW_BWD_IN:
      ok = c.need(n0, conv_y(g), "dy") && c.need(n1, fs, "filter") && c.need(n2, conv_x(g), "dx");
      break;
    case CONV_BWD_F:
    case DW_BWD_F:
      ok = c.need(n0, conv_x(g), "x") && c.need(n1, conv_y(g), "dy") && c.need(n2, fs, "dFilter");
      break;
  }
  if (!ok) return nullptr;
  switch (kind) {
    case CONV_FWD: {
      // Optional epilogue: argument 4 the bias (or null), argument 5 the activation id.
      Epilogue e{nullptr, A_LINEAR};
      if (!read_epilogue(c, 4, g.outC, e)) return nullptr;
      conv2d(t0, t1, t2, g, c.argc > 5 ? &e : nullptr);
      break;
    }
    case CONV_BWD_IN: conv2d_backprop_input(t0, t1, t2, g); break;
    case CONV_BWD_F: conv2d_backprop_filter(t0, t1, t2, g); break;
    case DW_FWD: depthwise_conv2d(t0, t1, t2, g); break;
    case DW_BWD_IN: depthwise_backprop_input(t0, t1, t2, g); break;
    case DW_BWD_F: depthwise_backprop_filter(t0, t1, t2, g); break;
  }
  return nullptr;
}

NB_FN(Conv2d) { return conv_common(env, info, CONV_FWD); }
NB_FN(Conv2dBackpropInput) { return conv_common(env, info, CONV_BWD_IN); }
NB_FN(Conv2dBackpropFilter) { return conv_common(env, info, CONV_BWD_F); }
NB_FN(Depthwise) { return conv_common(env, info, DW_FWD); }
NB_FN(DepthwiseBackpropInput) { return conv_common(env, info, DW_BWD_IN); }
NB_FN(DepthwiseBackpropFilter) { return conv_common(env, info, DW_BWD_F); }

bool read_pool(Ctx& c, std::size_t i, PoolGeom& g) {
  const double* p = c.params(i, 12);
  if (c.failed) return false;
  idx* const fields[12] = {&g.batch, &g.inH, &g.inW, &g.channels, &g.outH, &g.outW, &g.kH, &g.kW, &g.strideH, &g.strideW, &g.padTop, &g.padLeft};
  for (int j = 0; j < 12; j++) *fields[j] = idx(p[j]);
  if (g.strideH <= 0 || g.strideW <= 0) {
    c.fail("nabla native: pool strides must be positive", true);
    return false;
  }
  return true;
}
double pool_x(const PoolGeom& g) { return double(g.batch) * double(g.inH) * double(g.inW) * double(g.channels); }
double pool_y(const PoolGeom& g) { return double(g.batch) * double(g.outH) * double(g.outW) * double(g.channels); }

enum PoolKind { MAX_FWD, MAX_BWD, AVG_FWD, AVG_BWD };

/** The four pooling kernels: their arrays in argument order, the geometry after them. */
napi_value pool_common(napi_env env, napi_callback_info info, PoolKind kind) {
  Ctx c(env, info);
  FtzScope ftz;
  // Argument layout: forward (x, y), max backward (dy, x, dx), average backward (dy, dx).
  const int arrays = kind == MAX_BWD ? 3 : 2;
  static const char* const names[4][3] = {{"x", "y", ""}, {"dy", "x", "dx"}, {"x", "y", ""}, {"dy", "dx", ""}};
  std::size_t n[3] = {0, 0, 0};
  float* t[3] = {nullptr, nullptr, nullptr};
  for (int i = 0; i < arrays; i++) t[i] = c.f32(std::size_t(i), &n[i], names[kind][i]);
  PoolGeom g;
  if (c.failed || !read_pool(c, std::size_t(arrays), g)) return nullptr;
  const bool fwd = kind == MAX_FWD || kind == AVG_FWD;
  for (int i = 0; i < arrays; i++) {
    // Forward: x is the input, y the pooled output; backward: dy is pooled, the rest input-sized.
    const bool pooled = fwd ? i == 1 : i == 0;
    if (!c.need(n[i], pooled ? pool_y(g) : pool_x(g), names[kind][i])) return nullptr;
  }
  switch (kind) {
    case MAX_FWD: max_pool(t[0], t[1], g); break;
    case MAX_BWD: max_pool_backprop(t[0], t[1], t[2], g); break;
    case AVG_FWD: avg_pool(t[0], t[1], g); break;
    case AVG_BWD: avg_pool_backprop(t[0], t[1], g); break;
  }
  return nullptr;
}

NB_FN(MaxPool) { return pool_common(env, info, MAX_FWD); }
NB_FN(MaxPoolBackprop) { return pool_common(env, info, MAX_BWD); }
NB_FN(AvgPool) { return pool_common(env, info, AVG_FWD); }
NB_FN(AvgPoolBackprop) { return pool_common(env, info, AVG_BWD); }

NB_FN(BiasActivation) {
  Ctx c(env, info);
  FtzScope ftz;
  std::size_t nx = 0, nbias = 0, no = 0;
  const float* x = c.f32(0, &nx, "x");
  const float* bias = c.f32(1, &nbias, "bias");
  float* out = c.f32(2, &no, "out");
  const double* p = c.params(3, 3);
  if (c.failed) return nullptr;
  idx rows = idx(p[0]), cols = idx(p[1]);
  if (!c.need(nx, double(rows) * double(cols), "x") || !c.need(nbias, double(cols), "bias") || !c.need(no, double(rows) * double(cols), "out"))
    return nullptr;
  bias_activation(x, bias, out, rows, cols, int(p[2]));
  return nullptr;
}

NB_FN(ActivationGrad) {
  Ctx c(env, info);
  FtzScope ftz;
  std::size_t ny = 0, nd = 0, no = 0;
  const float* y = c.f32(0, &ny, "y");
  const float* dy = c.f32(1, &nd, "dy");
  float* out = c.f32(2, &no, "out");
  const double* p = c.params(3, 1);
  if (c.failed || !c.need(ny, double(no), "y") || !c.need(nd, double(no), "dy")) return nullptr;
  activation_grad(int(p[0]), y, dy, out, idx(no));
  return nullptr;
}

NB_FN(Softmax) {
  Ctx c(env, info);
  FtzScope ftz;
  std::size_t nx = 0, no = 0;
  const float* x = c.f32(0, &nx, "x");
  float* out = c.f32(1, &no, "out");
  const double* p = c.params(2, 3);
  if (c.failed) return nullptr;
  idx rows = idx(p[0]), n = idx(p[1]);
  if (!c.need(nx, double(rows) * double(n), "x") || !c.need(no, double(rows) * double(n), "out")) return nullptr;
  softmax(x, out, rows, n, p[2] != 0);
  return nullptr;
}

NB_FN(SoftmaxCrossEntropy) {
  Ctx c(env, info);
  FtzScope ftz;
  std::size_t nz = 0, nt = 0, nl = 0, ng = 0;
  const float* z = c.f32(0, &nz, "logits");
  const float* t = c.f32(1, &nt, "targets");
  float* loss = c.f32(2, &nl, "loss");
  float* grad = c.is_nullish(3) ? nullptr : c.f32(3, &ng, "grad");
  const double* p = c.params(4, 2);
  if (c.failed) return nullptr;
  idx rows = idx(p[0]), n = idx(p[1]);
  const double rn = double(rows) * double(n);
  if (!c.need(nz, rn, "logits") || !c.need(nt, rn, "targets") || !c.need(nl, double(rows), "loss") || (grad != nullptr && !c.need(ng, rn, "grad")))
    return nullptr;
  softmax_cross_entropy(z, t, loss, grad, rows, n);
  return nullptr;
}

NB_FN(SgdUpdate) {
  Ctx c(env, info);
  FtzScope ftz;
  std::size_t np = 0, ng = 0, nv = 0;
  float* param = c.f32(0, &np, "param");
  const float* grad = c.f32(1, &ng, "grad");
  float* vel = c.is_nullish(2) ? nullptr : c.f32(2, &nv, "velocity");
  const double* p = c.params(3, 4);
  if (c.failed || !c.need(ng, double(np), "grad") || (vel != nullptr && !c.need(nv, double(np), "velocity"))) return nullptr;
  if (p[1] != 0 && vel == nullptr) {
    c.fail("nabla native: sgdUpdate with momentum needs a velocity buffer");
    return nullptr;
  }
  sgd_update(param, grad, vel, idx(np), float(p[0]), float(p[1]), p[2] != 0, float(p[3]));
  return nullptr;
}

NB_FN(AdamUpdate) {
  Ctx c(env, info);
  FtzScope ftz;
  std::size_t np = 0, ng = 0, nm = 0, nv = 0;
  float* param = c.f32(0, &np, "param");
  const float* grad = c.f32(1, &ng, "grad");
  float* m = c.f32(2, &nm, "m");
  float* v = c.f32(3, &nv, "v");
  const double* p = c.params(4, 7);
  if (c.failed || !c.need(ng, double(np), "grad") || !c.need(nm, double(np), "m") || !c.need(nv, double(np), "v")) return nullptr;
  adam_update(param, grad, m, v, idx(np), float(p[0]), float(p[1]), float(p[2]), float(p[3]), float(p[4]), float(p[5]), p[6] != 0);
  return nullptr;
}

NB_FN(CopyStrided) {
  Ctx c(env, info);
  FtzScope ftz;
  std::size_t ns = 0, nd = 0;
  const float* src = c.f32(0, &ns, "src");
  float* dst = c.f32(1, &nd, "dst");
  const double* p = c.params(2, 3);
  if (c.failed) return nullptr;
  int rank = int(p[0]);
  if (rank < 0 || rank > 16) {
    c.fail("nabla native: rank out of range", true);
    return nullptr;
  }
  p = c.params(2, std::size_t(3 + 3 * rank));
  if (c.failed) return nullptr;
  idx shape[16], ss[16], ds[16];
  double lo_s = p[1], hi_s = p[1], lo_d = p[2], hi_d = p[2];
  bool empty = false;
  for (int d = 0; d < rank; d++) {
    shape[d] = idx(p[3 + d]);
    ss[d] = idx(p[3 + rank + d]);
    ds[d] = idx(p[3 + 2 * rank + d]);
    if (shape[d] <= 0) {
      empty = true;
      continue;
    }
    double es = double(ss[d]) * double(shape[d] - 1), ed = double(ds[d]) * double(shape[d] - 1);
    (es < 0 ? lo_s : hi_s) += es;
    (ed < 0 ? lo_d : hi_d) += ed;
  }
  if (empty) return nullptr;
  if (lo_s < 0 || lo_d < 0 || !c.need(ns, hi_s + 1, "src") || !c.need(nd, hi_d + 1, "dst")) {
    if (!c.failed) c.fail("nabla native: copyStrided reaches before the start of an array", true);
    return nullptr;
  }
  copy_strided(src, idx(p[1]), ss, dst, idx(p[2]), ds, shape, rank);
  return nullptr;
}

NB_FN(SetNumThreads) {
  Ctx c(env, info);
  int n = c.int_arg(0);
  if (c.failed) return nullptr;
  if (n < 1) {
    c.fail("nabla native: thread count must be ≥ 1", true);
    return nullptr;
  }
  set_num_threads(n);
  return nullptr;
}

NB_FN(GetNumThreads) {
  napi_value v;
  napi_create_int32(env, num_threads(), &v);
  (void)info;
  return v;
}

/** setIsa('avx512' | 'avx2' | 'portable'): lowers (or restores) the GEMM kernel ISA; returns the one in use. */
NB_FN(SetIsa) {
  Ctx c(env, info);
  char name[32] = {0};
  std::size_t len = 0;
  if (c.argc < 1 || napi_get_value_string_utf8(env, c.argv[0], name, sizeof name, &len) != napi_ok) {
    c.fail("nabla native: setIsa expects 'avx512', 'avx2' or 'portable'");
    return nullptr;
  }
  if (std::strcmp(name, "avx512") == 0) set_active_isa(Isa::Avx512);
  else if (std::strcmp(name, "avx2") == 0) set_active_isa(Isa::Avx2);
  else if (std::strcmp(name, "portable") == 0) set_active_isa(Isa::Portable);
  else {
    c.fail("nabla native: setIsa expects 'avx512', 'avx2' or 'portable'", true);
    return nullptr;
  }
  napi_value v;
  napi_create_string_utf8(env, isa_name(active_isa()), NAPI_AUTO_LENGTH, &v);
  return v;
}

/** allocate(bytes): a zero-filled ArrayBuffer over recycled native memory (see storage.cc). */
NB_FN(Allocate) {
  Ctx c(env, info);
  double bytes = 0;
  if (c.argc < 1 || napi_get_value_double(env, c.argv[0], &bytes) != napi_ok || !(bytes >= 0) || bytes > 9007199254740991.0) {
    c.fail("nabla native: allocate expects a byte count");
    return nullptr;
  }
  bool zeroed = true;
  if (c.argc >= 2) napi_get_value_bool(env, c.argv[1], &zeroed);
  napi_value result = nullptr;
  if (!storage_array_buffer(std::size_t(bytes), zeroed, &result)) {
    c.fail("nabla native: out of memory", true);
    return nullptr;
  }
  return result;
}

/** setStoragePoison(on): blocks handed out without zeroing are filled with NaN (a test mode). */
NB_FN(SetStoragePoison) {
  Ctx c(env, info);
  bool on = false;
  if (c.argc >= 1) napi_get_value_bool(env, c.argv[0], &on);
  storage_set_poison(on);
  return nullptr;
}

/** setStorageCache(bytes): caps the memory kept for reuse; returns the bytes cached now. */
NB_FN(SetStorageCache) {
  Ctx c(env, info);
  double bytes = 0;
  if (c.argc >= 1 && napi_get_value_double(env, c.argv[0], &bytes) == napi_ok && bytes >= 0) storage_set_cache_limit(std::size_t(bytes));
  napi_value v;
  napi_create_double(env, double(storage_cached_bytes()), &v);
  return v;
}

NB_FN(Info) {
  (void)info;
  napi_value obj, s, t;
  napi_create_object(env, &obj);
  napi_create_string_utf8(env, isa_name(active_isa()), NAPI_AUTO_LENGTH, &s);
  napi_set_named_property(env, obj, "isa", s);
  napi_create_string_utf8(env, gemm_kernel().name, NAPI_AUTO_LENGTH, &s);
  napi_set_named_property(env, obj, "gemmKernel", s);
  napi_create_int32(env, num_threads(), &t);
  napi_set_named_property(env, obj, "threads", t);
  return obj;
}

}  // namespace
}  // namespace nb

NAPI_MODULE_INIT() {
  nb::gemm_tune(std::getenv("NABLA_GEMM_TUNE"));
  struct Entry {
    const char* name;
    napi_callback fn;
  };
  static const Entry entries[] = {
      {"unary", nb::Unary},
      {"binary", nb::Binary},
      {"reduce", nb::Reduce},
      {"matmul", nb::Matmul},
      {"conv2d", nb::Conv2d},
      {"conv2dBackpropInput", nb::Conv2dBackpropInput},
      {"conv2dBackpropFilter", nb::Conv2dBackpropFilter},
      {"depthwiseConv2d", nb::Depthwise},
      {"depthwiseConv2dBackpropInput", nb::DepthwiseBackpropInput},
      {"depthwiseConv2dBackpropFilter", nb::DepthwiseBackpropFilter},
      {"maxPool2d", nb::MaxPool},
      {"maxPool2dBackprop", nb::MaxPoolBackprop},
      {"avgPool2d", nb::AvgPool},
      {"avgPool2dBackprop", nb::AvgPoolBackprop},
      {"biasActivation", nb::BiasActivation},
      {"activationGrad", nb::ActivationGrad},
      {"softmax", nb::Softmax},
      {"softmaxCrossEntropy", nb::SoftmaxCrossEntropy},
      {"sgdUpdate", nb::SgdUpdate},
      {"adamUpdate", nb::AdamUpdate},
      {"copyStrided", nb::CopyStrided},
      {"setNumThreads", nb::SetNumThreads},
      {"getNumThreads", nb::GetNumThreads},
      {"info", nb::Info},
      {"allocate", nb::Allocate},
      {"setStorageCache", nb::SetStorageCache},
      {"setStoragePoison", nb::SetStoragePoison},
      {"setIsa", nb::SetIsa},
  };
  for (const Entry& e : entries) {
    napi_value fn;
    if (napi_create_function(env, e.name, NAPI_AUTO_LENGTH, e.fn, nullptr, &fn) != napi_ok) return nullptr;
    if (napi_set_named_property(env, exports, e.name, fn) != napi_ok) return nullptr;
  }
  return exports;
}
