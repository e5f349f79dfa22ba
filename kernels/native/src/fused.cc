// Fused kernels: bias + activation, softmax / log-softmax, softmax cross-entropy, and the SGD and
// Adam/AdamW optimizer updates (with the reference's flush of subnormal moments to zero).
#include <algorithm>
#include <cmath>
#include <limits>

#include "ops.h"
#include "vmath.h"

namespace nb {

static const idx kParallelElems = idx(1) << 15;

static idx row_grain(idx n) { return std::max<idx>(1, kParallelElems / std::max<idx>(n, 1)); }

template <int Act>
NB_CLONES static void bias_act_rows(const float* NB_RESTRICT x, const float* NB_RESTRICT bias, float* NB_RESTRICT out, idx r0, idx r1,
                                    idx cols) {
  for (idx r = r0; r < r1; r++) {
    const float* xr = x + r * cols;
    float* o = out + r * cols;
    for (idx c = 0; c < cols; c++) {
      float v = xr[c] + bias[c];
      if (Act == A_RELU) v = v < 0.f ? 0.f : v;
      else if (Act == A_SIGMOID) v = vsigmoid(v);
      else if (Act == A_TANH) v = vtanh(v);
      o[c] = v;
    }
  }
}

template <int Act>
NB_CLONES static void epilogue_rows(float* NB_RESTRICT c, idx ldc, idx rows, idx cols, const float* NB_RESTRICT bias) {
  for (idx r = 0; r < rows; r++) {
    float* o = c + r * ldc;
    for (idx j = 0; j < cols; j++) {
      float v = bias != nullptr ? o[j] + bias[j] : o[j];
      if (Act == A_RELU) v = v < 0.f ? 0.f : v;
      else if (Act == A_SIGMOID) v = vsigmoid(v);
      else if (Act == A_TANH) v = vtanh(v);
      o[j] = v;
    }
  }
}

void apply_epilogue(const Epilogue& e, float* c, idx ldc, idx rows, idx cols, idx col0) {
  const float* bias = e.bias != nullptr ? e.bias + col0 : nullptr;
  switch (e.act) {
    case A_RELU: epilogue_rows<A_RELU>(c, ldc, rows, cols, bias); break;
    case A_SIGMOID: epilogue_rows<A_SIGMOID>(c, ldc, rows, cols, bias); break;
    case A_TANH: epilogue_rows<A_TANH>(c, ldc, rows, cols, bias); break;
    default:
      if (bias != nullptr) epilogue_rows<A_LINEAR>(c, ldc, rows, cols, bias);
      break;
  }
}

void bias_activation(const float* x, const float* bias, float* out, idx rows, idx cols, int act) {
  parallel_range(rows, row_grain(cols), [&](idx b, idx e) {
    switch (act) {
      case A_RELU: bias_act_rows<A_RELU>(x, bias, out, b, e, cols); break;
      case A_SIGMOID: bias_act_rows<A_SIGMOID>(x, bias, out, b, e, cols); break;
      case A_TANH: bias_act_rows<A_TANH>(x, bias, out, b, e, cols); break;
      default: bias_act_rows<A_LINEAR>(x, bias, out, b, e, cols); break;
    }
  });
}

template <int Act>
NB_CLONES static void act_grad_range(const float* NB_RESTRICT y, const float* NB_RESTRICT dy, float* NB_RESTRICT out, idx b, idx e) {
  for (idx i = b; i < e; i++) {
    const float v = y[i];
    if (Act == A_RELU) out[i] = v > 0.f ? dy[i] : 0.f;
    else if (Act == A_SIGMOID) out[i] = dy[i] * v * (1.f - v);
    else if (Act == A_TANH) out[i] = dy[i] * (1.f - v * v);
    else out[i] = dy[i];
  }
}

void activation_grad(int act, const float* y, const float* dy, float* out, idx n) {
  parallel_range(n, kParallelElems, [&](idx b, idx e) {
    switch (act) {
      case A_RELU: act_grad_range<A_RELU>(y, dy, out, b, e); break;
      case A_SIGMOID: act_grad_range<A_SIGMOID>(y, dy, out, b, e); break;
      case A_TANH: act_grad_range<A_TANH>(y, dy, out, b, e); break;
      default: act_grad_range<A_LINEAR>(y, dy, out, b, e); break;
    }
  });
}

NB_CLONES static float row_max(const float* NB_RESTRICT x, idx n) {
  // Plain '>' comparisons like the reference: NaN never wins, so a NaN row keeps max = −inf or the max of the rest.
  float lanes[16];
  for (int l = 0; l < 16; l++) lanes[l] = -std::numeric_limits<float>::infinity();
  idx j = 0;
  for (; j + 16 <= n; j += 16)
    for (int l = 0; l < 16; l++) lanes[l] = x[j + l] > lanes[l] ? x[j + l] : lanes[l];
  float m = -std::numeric_limits<float>::infinity();
  for (int l = 0; l < 16; l++) m = lanes[l] > m ? lanes[l] : m;
  for (; j < n; j++) m = x[j] > m ? x[j] : m;
  return m;
}

/** Σ exp(x[j] − m), in 16 float lanes summed in double. */
NB_CLONES static double row_sum_exp(const float* NB_RESTRICT x, idx n, float m) {
  float lanes[16] = {};
  idx j = 0;
  for (; j + 16 <= n; j += 16)
    for (int l = 0; l < 16; l++) lanes[l] += vexp(x[j + l] - m);
  double s = 0;
  for (int l = 0; l < 16; l++) s += lanes[l];
  for (; j < n; j++) s += vexp(x[j] - m);
  return s;
}

NB_CLONES static void row_sub(const float* NB_RESTRICT x, float* NB_RESTRICT out, idx n, float c) {
  for (idx j = 0; j < n; j++) out[j] = x[j] - c;
}
NB_CLONES static void row_exp_scale(const float* NB_RESTRICT x, float* NB_RESTRICT out, idx n, float m, float inv) {
  for (idx j = 0; j < n; j++) out[j] = vexp(x[j] - m) * inv;
}

void softmax(const float* x, float* out, idx rows, idx n, bool log) {
  parallel_range(rows, row_grain(n), [&](idx b, idx e) {
    for (idx r = b; r < e; r++) {
      const float* xr = x + r * n;
      float* o = out + r * n;
      float m = row_max(xr, n);
      if (!std::isfinite(m)) m = 0.f;
      double s = row_sum_exp(xr, n, m);
      if (log) row_sub(xr, o, n, float(std::log(s) + double(m)));
      else row_exp_scale(xr, o, n, m, float(1.0 / s));
    }
  });
}

NB_CLONES static double sce_row(const float* NB_RESTRICT z, const float* NB_RESTRICT t, float* NB_RESTRICT grad, idx n, double lse) {
  double l = 0;
  for (idx j = 0; j < n; j++)
    if (t[j] != 0.f) l -= double(t[j]) * (double(z[j]) - lse);
  if (grad != nullptr) {
    const float lf = float(lse);
    for (idx j = 0; j < n; j++) grad[j] = vexp(z[j] - lf) - t[j];
  }
  return l;
}

void softmax_cross_entropy(const float* logits, const float* targets, float* loss, float* grad, idx rows, idx n) {
  parallel_range(rows, row_grain(n), [&](idx b, idx e) {
    for (idx r = b; r < e; r++) {
      const float* z = logits + r * n;
      float m = row_max(z, n);
      double s = row_sum_exp(z, n, m);
      double lse = std::log(s) + double(m);
      loss[r] = float(sce_row(z, targets + r * n, grad != nullptr ? grad + r * n : nullptr, n, lse));
    }
  });
}

NB_CLONES static void sgd_chunk(float* NB_RESTRICT p, const float* NB_RESTRICT g, float* NB_RESTRICT vel, idx n, float lr, float mom,
                                bool nesterov, float wd) {
  if (vel == nullptr || mom == 0.f) {
    for (idx i = 0; i < n; i++) p[i] = p[i] - lr * (g[i] + wd * p[i]);
    return;
  }
  if (nesterov) {
    for (idx i = 0; i < n; i++) {
      float gi = g[i] + wd * p[i];
      float v = mom * vel[i] - lr * gi;
      vel[i] = v;
      p[i] = p[i] + mom * v - lr * gi;
    }
  } else {
    for (idx i = 0; i < n; i++) {
      float gi = g[i] + wd * p[i];
      float v = mom * vel[i] - lr * gi;
      vel[i] = v;
      p[i] = p[i] + v;
    }
  }
}

void sgd_update(float* param, const float* grad, float* velocity, idx n, float lr, float momentum, bool nesterov, float wd) {
  parallel_range(n, idx(1) << 16, [&](idx b, idx e) {
    sgd_chunk(param + b, grad + b, velocity != nullptr ? velocity + b : nullptr, e - b, lr, momentum, nesterov, wd);
  }, 16);
}

NB_CLONES static void adam_chunk(float* NB_RESTRICT p, const float* NB_RESTRICT g, float* NB_RESTRICT m, float* NB_RESTRICT v, idx n, float lr,
                                 float b1, float b2, float step_size, float eps_hat, float wd, bool decoupled) {
  const float FLT_MIN_ = std::numeric_limits<float>::min();
  const float c1 = 1.f - b1, c2 = 1.f - b2;
  const float l2 = decoupled ? 0.f : wd;
  const float decay = decoupled ? lr * wd : 0.f;
  for (idx i = 0; i < n; i++) {
    const float w = p[i];
    const float gi = g[i] + l2 * w;
    float mi = b1 * m[i] + c1 * gi;
    float vi = b2 * v[i] + c2 * gi * gi;
    mi = std::fabs(mi) < FLT_MIN_ ? 0.f : mi;
    vi = vi < FLT_MIN_ ? 0.f : vi;
    m[i] = mi;
    v[i] = vi;
    p[i] = w - (step_size * mi) / (std::sqrt(vi) + eps_hat) - decay * w;
  }
}

void adam_update(float* param, const float* grad, float* m, float* v, idx n, float lr, float beta1, float beta2,
                 float step_size, float eps_hat, float wd, bool decoupled) {
  parallel_range(n, idx(1) << 16, [&](idx b, idx e) {
    adam_chunk(param + b, grad + b, m + b, v + b, e - b, lr, beta1, beta2, step_size, eps_hat, wd, decoupled);
  }, 16);
}

}  // namespace nb
