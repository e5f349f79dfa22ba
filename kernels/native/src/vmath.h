// Branch-free single-precision exp/log/tanh/sigmoid that compilers vectorise (Cephes-style range
// reduction and minimax polynomials, ~1–2 ulp). NaN propagates; ±inf and overflow follow IEEE.
#pragma once

#include <cstdint>
#include <cstring>
#include <limits>

#include "common.h"

namespace nb {

NB_INLINE float as_float(std::int32_t i) {
  float f;
  std::memcpy(&f, &i, 4);
  return f;
}
NB_INLINE std::int32_t as_int(float f) {
  std::int32_t i;
  std::memcpy(&i, &f, 4);
  return i;
}

NB_INLINE float vexp(float x) {
  const float hi = 88.3762626647949f, lo = -87.3365447504019f;
  float xc = x < lo ? lo : (x > hi ? hi : x);
  float fx = xc * 1.44269504088896341f;
  fx = (fx + 12582912.f) - 12582912.f;  // round to nearest integer
  float r = xc - fx * 0.693359375f;
  r = r - fx * -2.12194440e-4f;
  float p = 1.9875691500E-4f;
  p = p * r + 1.3981999507E-3f;
  p = p * r + 8.3334519073E-3f;
  p = p * r + 4.1665795894E-2f;
  p = p * r + 1.6666665459E-1f;
  p = p * r + 5.0000001201E-1f;
  float y = p * (r * r) + r + 1.f;
  std::int32_t n = std::int32_t(fx);
  y = y * as_float((n + 127) << 23);
  y = x > hi ? std::numeric_limits<float>::infinity() : y;
  y = x < lo ? 0.f : y;
  y = x != x ? x : y;
  return y;
}

NB_INLINE float vlog(float x) {
  std::int32_t bits = as_int(x);
  std::int32_t e = ((bits >> 23) & 0xff) - 126;
  float m = as_float((bits & 0x007fffff) | 0x3f000000);  // [0.5, 1)
  bool small = m < 0.707106781186547524f;
  e = small ? e - 1 : e;
  float f = small ? (m + m - 1.f) : (m - 1.f);
  float z = f * f;
  float y = 7.0376836292E-2f;
  y = y * f - 1.1514610310E-1f;
  y = y * f + 1.1676998740E-1f;
  y = y * f - 1.2420140846E-1f;
  y = y * f + 1.4249322787E-1f;
  y = y * f - 1.6668057665E-1f;
  y = y * f + 2.0000714765E-1f;
  y = y * f - 2.4999993993E-1f;
  y = y * f + 3.3333331174E-1f;
  y = y * f * z;
  float fe = float(e);
  y = y + -2.12194440e-4f * fe;
  y = y - 0.5f * z;
  float res = f + y + 0.693359375f * fe;
  res = x < 0.f ? std::numeric_limits<float>::quiet_NaN() : res;
  res = x == 0.f ? -std::numeric_limits<float>::infinity() : res;
  res = x == std::numeric_limits<float>::infinity() ? x : res;
  res = x != x ? x : res;
  return res;
}

/** log(1 + y) for y ≥ 0 without losing the small-y digits. */
NB_INLINE float vlog1p_pos(float y) {
  float u = 1.f + y;
  float d = u - 1.f;
  float r = vlog(u) * (y / (d == 0.f ? 1.f : d));
  return d == 0.f ? y : r;
}

NB_INLINE float vtanh(float x) {
  float ax = x < 0.f ? -x : x;
  float z = x * x;
  float s = -5.70498872745E-3f;
  s = s * z + 2.06390887954E-2f;
  s = s * z - 5.37397155531E-2f;
  s = s * z + 1.33314422036E-1f;
  s = s * z - 3.33332819422E-1f;
  s = s * z * x + x;
  float e = vexp(2.f * ax);
  float big = 1.f - 2.f / (e + 1.f);
  big = x < 0.f ? -big : big;
  return ax < 0.625f ? s : big;
}

NB_INLINE float vsigmoid(float x) { return 1.f / (1.f + vexp(-x)); }

NB_INLINE float vsoftplus(float x) {
  float ax = x < 0.f ? -x : x;
  float r = (x > 0.f ? x : 0.f) + vlog1p_pos(vexp(-ax));
  return x != x ? x : r;
}

}  // namespace nb
