// Elementwise unary and broadcast binary ops, reductions and strided copies. Loops are written so
// the compiler vectorises them; NB_CLONES builds AVX-512, AVX2 and baseline versions of the hot
// ones. Ops without a vectorisable form (sin, erf, pow, …) compute in double like the reference.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "ops.h"
#include "vmath.h"

namespace nb {

static const idx kParallelElems = idx(1) << 16;  // below this, waking a worker costs more than it saves

// ---------------------------------------------------------------- unary

#define NB_UNARY_FN(name, expr)                          \
  struct name {                                         \
    static NB_INLINE float f(float v) { return expr; } \
  };

NB_UNARY_FN(UNeg, -v)
NB_UNARY_FN(UAbs, std::fabs(v))
NB_UNARY_FN(USign, v > 0.f ? 1.f : (v < 0.f ? -1.f : (v == 0.f ? 0.f : v)))
NB_UNARY_FN(UExp, vexp(v))
NB_UNARY_FN(UExpm1, float(std::expm1(double(v))))
NB_UNARY_FN(ULog, vlog(v))
NB_UNARY_FN(ULog1p, float(std::log1p(double(v))))
NB_UNARY_FN(USqrt, std::sqrt(v))
NB_UNARY_FN(URsqrt, 1.f / std::sqrt(v))
NB_UNARY_FN(USquare, v* v)
NB_UNARY_FN(UReciprocal, 1.f / v)
NB_UNARY_FN(USin, float(std::sin(double(v))))
NB_UNARY_FN(UCos, float(std::cos(double(v))))
NB_UNARY_FN(UTan, float(std::tan(double(v))))
NB_UNARY_FN(UTanh, vtanh(v))
NB_UNARY_FN(USigmoid, vsigmoid(v))
NB_UNARY_FN(UErf, float(std::erf(double(v))))
NB_UNARY_FN(UFloor, std::floor(v))
NB_UNARY_FN(UCeil, std::ceil(v))
NB_UNARY_FN(URound, std::nearbyint(v))
NB_UNARY_FN(URelu, v < 0.f ? 0.f : v)  // NaN stays NaN, like the reference
NB_UNARY_FN(USoftplus, vsoftplus(v))

template <class F>
NB_CLONES static void unary_loop(const float* NB_RESTRICT x, float* NB_RESTRICT out, idx n) {
  for (idx i = 0; i < n; i++) out[i] = F::f(x[i]);
}

template <class F>
static void unary_run(const float* x, float* out, idx n) {
  parallel_range(n, kParallelElems, [&](idx b, idx e) { unary_loop<F>(x + b, out + b, e - b); }, 16);
}

bool unary_f32(int op, const float* x, float* out, idx n) {
  switch (op) {
    case U_NEG: unary_run<UNeg>(x, out, n); return true;
    case U_ABS: unary_run<UAbs>(x, out, n); return true;
    case U_SIGN: unary_run<USign>(x, out, n); return true;
    case U_EXP: unary_run<UExp>(x, out, n); return true;
    case U_EXPM1: unary_run<UExpm1>(x, out, n); return true;
    case U_LOG: unary_run<ULog>(x, out, n); return true;
    case U_LOG1P: unary_run<ULog1p>(x, out, n); return true;
    case U_SQRT: unary_run<USqrt>(x, out, n); return true;
    case U_RSQRT: unary_run<URsqrt>(x, out, n); return true;
    case U_SQUARE: unary_run<USquare>(x, out, n); return true;
    case U_RECIPROCAL: unary_run<UReciprocal>(x, out, n); return true;
    case U_SIN: unary_run<USin>(x, out, n); return true;
    case U_COS: unary_run<UCos>(x, out, n); return true;
    case U_TAN: unary_run<UTan>(x, out, n); return true;
    case U_TANH: unary_run<UTanh>(x, out, n); return true;
    case U_SIGMOID: unary_run<USigmoid>(x, out, n); return true;
    case U_ERF: unary_run<UErf>(x, out, n); return true;
    case U_FLOOR: unary_run<UFloor>(x, out, n); return true;
    case U_CEIL: unary_run<UCeil>(x, out, n); return true;
    case U_ROUND: unary_run<URound>(x, out, n); return true;
    case U_RELU: unary_run<URelu>(x, out, n); return true;
    case U_SOFTPLUS: unary_run<USoftplus>(x, out, n); return true;
    default: return false;
  }
}

bool unary_u8(int op, const float* x, std::uint8_t* out, idx n) {
  switch (op) {
    case U_ISNAN:
      for (idx i = 0; i < n; i++) out[i] = x[i] != x[i];
      return true;
    case U_ISFINITE:
      for (idx i = 0; i < n; i++) out[i] = std::isfinite(x[i]);
      return true;
    case U_LOGICALNOT:
      for (idx i = 0; i < n; i++) out[i] = x[i] == 0.f;
      return true;
    default:
      return false;
  }
}

// ---------------------------------------------------------------- binary

#define NB_BINARY_FN(name, T, expr)                       \
  struct name {                                          \
    static NB_INLINE T f(float a, float b) { return expr; } \
  };

static NB_INLINE float js_pow(float a, float b) {
  // C's pow(1, NaN) and pow(±1, ±inf) are 1; JavaScript's Math.pow (the reference) gives NaN.
  if (b != b) return b;
  if (std::fabs(a) == 1.f && std::isinf(b)) return std::numeric_limits<float>::quiet_NaN();
  return float(std::pow(double(a), double(b)));
}
static NB_INLINE float floor_mod(float a, float b) {
  float r = std::fmod(a, b);
  return (r != 0.f && ((r < 0.f) != (b < 0.f))) ? r + b : r;
}

NB_BINARY_FN(BAdd, float, a + b)
NB_BINARY_FN(BSub, float, a - b)
NB_BINARY_FN(BMul, float, a* b)
NB_BINARY_FN(BDiv, float, a / b)
NB_BINARY_FN(BPow, float, js_pow(a, b))
NB_BINARY_FN(BMax, float, (a > b || a != a) ? a : b)
NB_BINARY_FN(BMin, float, (a < b || a != a) ? a : b)
NB_BINARY_FN(BMod, float, floor_mod(a, b))
NB_BINARY_FN(BAtan2, float, float(std::atan2(double(a), double(b))))
NB_BINARY_FN(BEq, std::uint8_t, a == b)
NB_BINARY_FN(BNe, std::uint8_t, a != b)
NB_BINARY_FN(BLt, std::uint8_t, a < b)
NB_BINARY_FN(BLe, std::uint8_t, a <= b)
NB_BINARY_FN(BGt, std::uint8_t, a > b)
NB_BINARY_FN(BGe, std::uint8_t, a >= b)
NB_BINARY_FN(BAnd, std::uint8_t, a != 0.f && b != 0.f)
NB_BINARY_FN(BOr, std::uint8_t, a != 0.f || b != 0.f)
NB_BINARY_FN(BXor, std::uint8_t, (a != 0.f) != (b != 0.f))

/** One row: out[i] = f(a[i·sa], b[i·sb]) with the common stride patterns written out. */
template <class F, class O>
NB_CLONES static void binary_row(const float* NB_RESTRICT a, idx sa, const float* NB_RESTRICT b, idx sb, O* NB_RESTRICT out,
                                 idx n) {
  if (sa == 1 && sb == 1) {
    for (idx i = 0; i < n; i++) out[i] = F::f(a[i], b[i]);
  } else if (sa == 1 && sb == 0) {
    const float bv = b[0];
    for (idx i = 0; i < n; i++) out[i] = F::f(a[i], bv);
  } else if (sa == 0 && sb == 1) {
    const float av = a[0];
    for (idx i = 0; i < n; i++) out[i] = F::f(av, b[i]);
  } else {
    for (idx i = 0; i < n; i++) out[i] = F::f(a[i * sa], b[i * sb]);
  }
}

/** Merges adjacent dimensions that are contiguous for every operand; drops size-1 dimensions. */
static int coalesce(int rank, idx* shape, idx* s0, idx* s1, idx* s2) {
  int r = 0;
  for (int d = 0; d < rank; d++) {
    if (shape[d] == 1) continue;
    if (r > 0 && s0[r - 1] == s0[d] * shape[d] && s1[r - 1] == s1[d] * shape[d] && (s2 == nullptr || s2[r - 1] == s2[d] * shape[d])) {
      shape[r - 1] *= shape[d];
      s0[r - 1] = s0[d];
      s1[r - 1] = s1[d];
      if (s2) s2[r - 1] = s2[d];
      continue;
    }
    shape[r] = shape[d];
    s0[r] = s0[d];
    s1[r] = s1[d];
    if (s2) s2[r] = s2[d];
    r++;
  }
  return r;
}

template <class F, class O>
static void binary_run(const float* a, const float* b, O* out, int rank_in, const idx* shape_in, const idx* sa_in,
                       const idx* sb_in) {
  idx shape[16], sa[16], sb[16], so[16];
  if (rank_in > 16) rank_in = 16;  // callers check
  idx total = 1;
  for (int d = rank_in - 1; d >= 0; d--) {
    shape[d] = shape_in[d];
    sa[d] = sa_in[d];
    sb[d] = sb_in[d];
    so[d] = total;
    total *= shape_in[d];
  }
  if (total == 0) return;
  int rank = coalesce(rank_in, shape, sa, sb, so);
  if (rank == 0) {
    out[0] = F::f(a[0], b[0]);
    return;
  }
  const idx inner = shape[rank - 1];
  const idx ia = sa[rank - 1], ib = sb[rank - 1];
  if (rank == 1) {
    parallel_range(inner, kParallelElems, [&](idx s, idx e) { binary_row<F, O>(a + s * ia, ia, b + s * ib, ib, out + s, e - s); }, 64);
    return;
  }
  const idx rows = total / inner;
  // Rows are independent: split them over the pool when the op is large.
  idx grain = std::max<idx>(1, kParallelElems / inner);
  parallel_range(rows, grain, [&](idx r0, idx r1) {
    idx index[16];
    idx rem = r0, oa = 0, ob = 0;
    for (int d = rank - 2; d >= 0; d--) {
      index[d] = rem % shape[d];
      rem /= shape[d];
      oa += index[d] * sa[d];
      ob += index[d] * sb[d];
    }
    for (idx r = r0; r < r1; r++) {
      binary_row<F, O>(a + oa, ia, b + ob, ib, out + r * inner, inner);
      for (int d = rank - 2; d >= 0; d--) {
        oa += sa[d];
        ob += sb[d];
        if (++index[d] < shape[d]) break;
        oa -= sa[d] * shape[d];
        ob -= sb[d] * shape[d];
        index[d] = 0;
      }
    }
  });
}

bool binary_f32(int op, const float* a, const float* b, float* out, int rank, const idx* shape, const idx* sa, const idx* sb) {
  switch (op) {
    case B_ADD: binary_run<BAdd>(a, b, out, rank, shape, sa, sb); return true;
    case B_SUB: binary_run<BSub>(a, b, out, rank, shape, sa, sb); return true;
    case B_MUL: binary_run<BMul>(a, b, out, rank, shape, sa, sb); return true;
    case B_DIV: binary_run<BDiv>(a, b, out, rank, shape, sa, sb); return true;
    case B_POW: binary_run<BPow>(a, b, out, rank, shape, sa, sb); return true;
    case B_MAXIMUM: binary_run<BMax>(a, b, out, rank, shape, sa, sb); return true;
    case B_MINIMUM: binary_run<BMin>(a, b, out, rank, shape, sa, sb); return true;
    case B_MOD: binary_run<BMod>(a, b, out, rank, shape, sa, sb); return true;
    case B_ATAN2: binary_run<BAtan2>(a, b, out, rank, shape, sa, sb); return true;
    default: return false;
  }
}

bool binary_u8(int op, const float* a, const float* b, std::uint8_t* out, int rank, const idx* shape, const idx* sa, const idx* sb) {
  switch (op) {
    case B_EQUAL: binary_run<BEq>(a, b, out, rank, shape, sa, sb); return true;
    case B_NOTEQUAL: binary_run<BNe>(a, b, out, rank, shape, sa, sb); return true;
    case B_LESS: binary_run<BLt>(a, b, out, rank, shape, sa, sb); return true;
    case B_LESSEQUAL: binary_run<BLe>(a, b, out, rank, shape, sa, sb); return true;
    case B_GREATER: binary_run<BGt>(a, b, out, rank, shape, sa, sb); return true;
    case B_GREATEREQUAL: binary_run<BGe>(a, b, out, rank, shape, sa, sb); return true;
    case B_LOGICALAND: binary_run<BAnd>(a, b, out, rank, shape, sa, sb); return true;
    case B_LOGICALOR: binary_run<BOr>(a, b, out, rank, shape, sa, sb); return true;
    case B_LOGICALXOR: binary_run<BXor>(a, b, out, rank, shape, sa, sb); return true;
    default: return false;
  }
}

// ---------------------------------------------------------------- reductions

// Sum and product accumulate in double like the reference; max/min propagate NaN like it.
struct RSum {
  typedef double Acc;
  static constexpr double init() { return 0.0; }
  static NB_INLINE double step(double acc, float v) { return acc + double(v); }
  static NB_INLINE double merge(double a, double b) { return a + b; }
};
struct RProd {
  typedef double Acc;
  static constexpr double init() { return 1.0; }
  static NB_INLINE double step(double acc, float v) { return acc * double(v); }
  static NB_INLINE double merge(double a, double b) { return a * b; }
};
struct RMax {
  typedef float Acc;
  static constexpr float init() { return -std::numeric_limits<float>::infinity(); }
  static NB_INLINE float step(float acc, float v) { return (v > acc || v != v) ? v : acc; }
  static NB_INLINE float merge(float a, float b) { return (b > a || b != b) ? b : a; }
};
struct RMin {
  typedef float Acc;
  static constexpr float init() { return std::numeric_limits<float>::infinity(); }
  static NB_INLINE float step(float acc, float v) { return (v < acc || v != v) ? v : acc; }
  static NB_INLINE float merge(float a, float b) { return (b < a || b != b) ? b : a; }
};

/** Reduction of a contiguous run, in 16 independent lanes so it vectorises without reassociation flags. */
template <class R>
NB_CLONES static typename R::Acc reduce_contig(const float* NB_RESTRICT x, idx n) {
  typedef typename R::Acc A;
  A lanes[16];
  for (int l = 0; l < 16; l++) lanes[l] = R::init();
  idx i = 0;
  for (; i + 16 <= n; i += 16)
    for (int l = 0; l < 16; l++) lanes[l] = R::step(lanes[l], x[i + l]);
  A acc = R::init();
  for (int l = 0; l < 16; l++) acc = R::merge(acc, lanes[l]);
  for (; i < n; i++) acc = R::step(acc, x[i]);
  return acc;
}

/** out[i] = reduce_j x[j·inner + i] for i in [i0, i1), using acc (length ≥ i1−i0) as the accumulator. */
template <class R>
NB_CLONES static void reduce_strided(const float* NB_RESTRICT x, idx n, idx inner, idx i0, idx i1, typename R::Acc* NB_RESTRICT acc,
                                     float* NB_RESTRICT out) {
  const idx w = i1 - i0;
  for (idx i = 0; i < w; i++) acc[i] = R::init();
  for (idx j = 0; j < n; j++) {
    const float* NB_RESTRICT row = x + j * inner + i0;
    for (idx i = 0; i < w; i++) acc[i] = R::step(acc[i], row[i]);
  }
  for (idx i = 0; i < w; i++) out[i] = float(acc[i]);
}

template <class R>
static void reduce_run(const float* x, idx outer, idx n, idx inner, float* out) {
  typedef typename R::Acc A;
  const idx T = num_threads();
  if (inner == 1) {
    if (outer >= T || outer * n < kParallelElems) {
      parallel_range(outer, std::max<idx>(1, kParallelElems / std::max<idx>(n, 1)), [&](idx b, idx e) {
        for (idx o = b; o < e; o++) out[o] = float(reduce_contig<R>(x + o * n, n));
      });
      return;
    }
    // Few long rows: each row's run is split over the pool and the partial results merged.
    for (idx o = 0; o < outer; o++) {
      A parts[256];
      const idx chunks = std::min<idx>(T, 256);
      const idx per = (n + chunks - 1) / chunks;
      for (idx c = 0; c < chunks; c++) parts[c] = R::init();
      parallel_for(int(chunks), [&](int c) {
        idx b = idx(c) * per, e = std::min(n, b + per);
        if (b < e) parts[c] = reduce_contig<R>(x + o * n + b, e - b);
      });
      A acc = R::init();
      for (idx c = 0; c < chunks; c++) acc = R::merge(acc, parts[c]);
      out[o] = float(acc);
    }
    return;
  }
  const idx total = outer * n * inner;
  if (outer >= T || total < kParallelElems) {
    parallel_range(outer, std::max<idx>(1, kParallelElems / std::max<idx>(n * inner, 1)), [&](idx b, idx e) {
      const idx blk = std::min<idx>(inner, 4096);
      A* acc = reinterpret_cast<A*>(scratch(2, std::size_t(blk) * sizeof(A) / sizeof(float) + 16));
      for (idx o = b; o < e; o++)
        for (idx i0 = 0; i0 < inner; i0 += blk)
          reduce_strided<R>(x + o * n * inner, n, inner, i0, std::min(inner, i0 + blk), acc, out + o * inner + i0);
    });
    return;
  }
  for (idx o = 0; o < outer; o++) {
    parallel_range(inner, 64, [&](idx b, idx e) {
      const idx blk = 4096;
      A* acc = reinterpret_cast<A*>(scratch(2, std::size_t(blk) * sizeof(A) / sizeof(float) + 16));
      for (idx i0 = b; i0 < e; i0 += blk)
        reduce_strided<R>(x + o * n * inner, n, inner, i0, std::min(e, i0 + blk), acc, out + o * inner + i0);
    }, 16);
  }
}

bool reduce(int op, const float* x, idx outer, idx n, idx inner, float* out) {
  switch (op) {
    case R_SUM: reduce_run<RSum>(x, outer, n, inner, out); return true;
    case R_PROD: reduce_run<RProd>(x, outer, n, inner, out); return true;
    case R_MAX: reduce_run<RMax>(x, outer, n, inner, out); return true;
    case R_MIN: reduce_run<RMin>(x, outer, n, inner, out); return true;
    default: return false;
  }
}

// ---------------------------------------------------------------- strided copy

void copy_strided(const float* src, idx src_off, const idx* src_strides, float* dst, idx dst_off, const idx* dst_strides,
                  const idx* shape_in, int rank_in) {
  idx shape[16], ss[16], ds[16];
  idx total = 1;
  for (int d = 0; d < rank_in; d++) {
    shape[d] = shape_in[d];
    ss[d] = src_strides[d];
    ds[d] = dst_strides[d];
    total *= shape[d];
  }
  if (total == 0) return;
  int rank = coalesce(rank_in, shape, ss, ds, nullptr);
  src += src_off;
  dst += dst_off;
  if (rank == 0) {
    dst[0] = src[0];
    return;
  }
  const idx inner = shape[rank - 1];
  const idx is = ss[rank - 1], id = ds[rank - 1];
  const idx rows = total / inner;
  // A destination stride of 0 (repeated writes) keeps the reference's sequential order.
  bool serial = false;
  for (int d = 0; d < rank; d++) serial = serial || ds[d] == 0;
  auto run_rows = [&](idx r0, idx r1) {
    idx index[16];
    idx rem = r0, os = 0, od = 0;
    for (int d = rank - 2; d >= 0; d--) {
      index[d] = rem % shape[d];
      rem /= shape[d];
      os += index[d] * ss[d];
      od += index[d] * ds[d];
    }
    for (idx r = r0; r < r1; r++) {
      const float* s = src + os;
      float* o = dst + od;
      if (is == 1 && id == 1) std::memcpy(o, s, sizeof(float) * std::size_t(inner));
      else if (is == 0)
        for (idx i = 0; i < inner; i++) o[i * id] = s[0];
      else
        for (idx i = 0; i < inner; i++) o[i * id] = s[i * is];
      for (int d = rank - 2; d >= 0; d--) {
        os += ss[d];
        od += ds[d];
        if (++index[d] < shape[d]) break;
        os -= ss[d] * shape[d];
        od -= ds[d] * shape[d];
        index[d] = 0;
      }
    }
  };
  if (serial) run_rows(0, rows);
  else parallel_range(rows, std::max<idx>(1, kParallelElems / inner), run_rows);
}

}  // namespace nb
