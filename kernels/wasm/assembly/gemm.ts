import { madd } from './simd';

// Register tile: MR rows × NR columns of C held in v128 accumulators. V8 keeps every load of a loop
// iteration live at once and has 15 usable xmm registers, which bounds the tile (unrolling k makes
// it spill too). Plain SIMD: 4×8 (8 accumulators, 2 B vectors, 4 A broadcasts, 1 product
// temporary). Relaxed SIMD: FMA needs no temporary but has 4-cycle latency on two pipes, so
// 8 accumulators leave no slack; 5×8 takes 10, with rows 0–3 of A loaded as one vector and
// splatted by shuffles.
const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 5 : 4;
const NR: i32 = 8;
// Cache blocking in the style of BLIS: a KC×NR sliver of packed B stays in L1, an MC×KC block of
// packed A in L2, a KC×NC panel of packed B in L3.
const KC: i32 = 256;
const MC: i32 = MR * 32;
const NC: i32 = 2048;

// @ts-ignore: decorator
@inline function roundUp(x: i32, m: i32): i32 {
  return ((x + m - 1) / m) * m;
}

/** Rows of the register tile (threads split GEMM rows in multiples of it). */
export function gemmTileRows(): i32 {
  return MR;
}

/** Bytes of scratch that one gemm() call over an m×n block with depth k needs. */
export function gemmWorkspaceBytes(m: i32, n: i32, k: i32): i32 {
  const kc = min(KC, max(k, 1));
  return (roundUp(min(MC, m), MR) * kc + kc * roundUp(min(NC, n), NR) + MR * NR) * 4 + 64;
}

/** C tile (+)= Ap·Bp over kc steps; Ap holds 4 values per step, Bp 8 values per step. */
// @ts-ignore: decorator
@inline function kernel4x8(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, acc: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  // The loop ends on the B pointer: one add and one compare fewer per step than a counter.
  const bend = bp + (<usize>kc << 5);
  do {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const a0 = v128.load32_splat(ap);
    c00 = madd(a0, b0, c00);
    c01 = madd(a0, b1, c01);
    const a1 = v128.load32_splat(ap, 4);
    c10 = madd(a1, b0, c10);
    c11 = madd(a1, b1, c11);
    const a2 = v128.load32_splat(ap, 8);
    c20 = madd(a2, b0, c20);
    c21 = madd(a2, b1, c21);
    const a3 = v128.load32_splat(ap, 12);
    c30 = madd(a3, b0, c30);
    c31 = madd(a3, b1, c31);
    ap += 16;
    bp += 32;
  } while (bp < bend);
  const c1 = c + ldc;
  const c2 = c1 + ldc;
  const c3 = c2 + ldc;
  if (acc) {
    c00 = f32x4.add(c00, v128.load(c));
    c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c1));
    c11 = f32x4.add(c11, v128.load(c1, 16));
    c20 = f32x4.add(c20, v128.load(c2));
    c21 = f32x4.add(c21, v128.load(c2, 16));
    c30 = f32x4.add(c30, v128.load(c3));
    c31 = f32x4.add(c31, v128.load(c3, 16));
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c1, c10);
  v128.store(c1, c11, 16);
  v128.store(c2, c20);
  v128.store(c2, c21, 16);
  v128.store(c3, c30);
  v128.store(c3, c31, 16);
}

/** The relaxed build's tile: Ap holds 5 values per step (rows 0–3 as one vector, then row 4). */
// @ts-ignore: decorator
@inline function kernel5x8(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, acc: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  const bend = bp + (<usize>kc << 5);
  do {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const av = v128.load(ap);
    const a0 = i32x4.shuffle(av, av, 0, 0, 0, 0);
    c00 = madd(a0, b0, c00);
    c01 = madd(a0, b1, c01);
    const a1 = i32x4.shuffle(av, av, 1, 1, 1, 1);
    c10 = madd(a1, b0, c10);
    c11 = madd(a1, b1, c11);
    const a2 = i32x4.shuffle(av, av, 2, 2, 2, 2);
    c20 = madd(a2, b0, c20);
    c21 = madd(a2, b1, c21);
    const a3 = i32x4.shuffle(av, av, 3, 3, 3, 3);
    c30 = madd(a3, b0, c30);
    c31 = madd(a3, b1, c31);
    const a4 = v128.load32_splat(ap, 16);
    c40 = madd(a4, b0, c40);
    c41 = madd(a4, b1, c41);
    ap += 20;
    bp += 32;
  } while (bp < bend);
  const c1 = c + ldc;
  const c2 = c1 + ldc;
  const c3 = c2 + ldc;
  const c4 = c3 + ldc;
  if (acc) {
    c00 = f32x4.add(c00, v128.load(c));
    c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c1));
    c11 = f32x4.add(c11, v128.load(c1, 16));
    c20 = f32x4.add(c20, v128.load(c2));
    c21 = f32x4.add(c21, v128.load(c2, 16));
    c30 = f32x4.add(c30, v128.load(c3));
    c31 = f32x4.add(c31, v128.load(c3, 16));
    c40 = f32x4.add(c40, v128.load(c4));
    c41 = f32x4.add(c41, v128.load(c4, 16));
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c1, c10);
  v128.store(c1, c11, 16);
  v128.store(c2, c20);
  v128.store(c2, c21, 16);
  v128.store(c3, c30);
  v128.store(c3, c31, 16);
  v128.store(c4, c40);
  v128.store(c4, c41, 16);
}

// @ts-ignore: decorator
@inline function kernel(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, acc: bool): void {
  if (ASC_FEATURE_RELAXED_SIMD) kernel5x8(kc, ap, bp, c, ldc, acc);
  else kernel4x8(kc, ap, bp, c, ldc, acc);
}

/** Packs rows [i0, i0+mc) × depth [p0, p0+kc) of A into MR-row slivers, k-major, zero-padded. */
function packA(a: usize, rs: i32, cs: i32, i0: i32, mc: i32, p0: i32, kc: i32, dst: usize): void {
  const rsb = <usize>rs << 2;
  const csb = <usize>cs << 2;
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    const base = a + <usize>(i0 + ir) * rsb + <usize>p0 * csb;
    if (rows == MR && cs == 1) {
      // Row-major A: 4×4 transposes turn four rows of four steps into four steps of four rows;
      // in the 5-row tile, row 4's four steps follow lane by lane.
      const step = <usize>(MR << 2);
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const s = base + (<usize>p << 2);
        const v0 = v128.load(s);
        const v1 = v128.load(s + rsb);
        const v2 = v128.load(s + 2 * rsb);
        const v3 = v128.load(s + 3 * rsb);
        const t0 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5);
        const t1 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5);
        const t2 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7);
        const t3 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
        v128.store(dst, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
        v128.store(dst + step, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
        v128.store(dst + 2 * step, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
        v128.store(dst + 3 * step, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
        if (MR == 5) {
          const v4 = v128.load(s + 4 * rsb);
          v128.store32_lane(dst, v4, 0, 16);
          v128.store32_lane(dst + step, v4, 1, 16);
          v128.store32_lane(dst + 2 * step, v4, 2, 16);
          v128.store32_lane(dst + 3 * step, v4, 3, 16);
        }
        dst += 4 * step;
      }
      for (; p < kc; p++) {
        const s = base + (<usize>p << 2);
        for (let r = 0; r < MR; r++) store<f32>(dst + (<usize>r << 2), load<f32>(s + <usize>r * rsb));
        dst += step;
      }
    } else if (rows == MR && rs == 1) {
      // Transposed A: the MR values of one step are contiguous.
      let s = base;
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(s));
        if (MR == 5) store<f32>(dst, load<f32>(s, 16), 16);
        s += csb;
        dst += <usize>(MR << 2);
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const s = base + <usize>p * csb;
        for (let r = 0; r < MR; r++) {
          store<f32>(dst + (<usize>r << 2), r < rows ? load<f32>(s + <usize>r * rsb) : 0);
        }
        dst += <usize>(MR << 2);
      }
    }
  }
}

/** Packs depth [p0, p0+kc) × columns [j0, j0+nc) of B into NR-column slivers, k-major, zero-padded. */
function packB(b: usize, rs: i32, cs: i32, p0: i32, kc: i32, j0: i32, nc: i32, dst: usize): void {
  const rsb = <usize>rs << 2;
  const csb = <usize>cs << 2;
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    const base = b + <usize>p0 * rsb + <usize>(j0 + jr) * csb;
    if (cols == NR && cs == 1) {
      let s = base;
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(s));
        v128.store(dst, v128.load(s, 16), 16);
        s += rsb;
        dst += 32;
      }
    } else if (cols == NR && rs == 1) {
      // Transposed B: 4×4 transposes of two groups of four columns.
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        for (let h = 0; h < 2; h++) {
          const s = base + (<usize>p << 2) + <usize>(h * 4) * csb;
          const v0 = v128.load(s);
          const v1 = v128.load(s + csb);
          const v2 = v128.load(s + 2 * csb);
          const v3 = v128.load(s + 3 * csb);
          const t0 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5);
          const t1 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5);
          const t2 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7);
          const t3 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
          const d = dst + (<usize>h << 4);
          v128.store(d, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
          v128.store(d, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), 32);
          v128.store(d, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), 64);
          v128.store(d, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), 96);
        }
        dst += 128;
      }
      for (; p < kc; p++) {
        const s = base + (<usize>p << 2);
        for (let j = 0; j < NR; j++) store<f32>(dst + (<usize>j << 2), load<f32>(s + <usize>j * csb));
        dst += 32;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const s = base + <usize>p * rsb;
        for (let j = 0; j < NR; j++) {
          store<f32>(dst + (<usize>j << 2), j < cols ? load<f32>(s + <usize>j * csb) : 0);
        }
        dst += 32;
      }
    }
  }
}

/**
 * Few rows of A (m ≤ 4, as in a batch-1 dense layer): packing B would cost as much as the product,
 * so stream B directly. Row-major B: axpy over 16-column strips. Transposed B: dot products.
 */
function gemmFewRows(
  a: usize, rsA: i32, csA: i32, b: usize, rsB: i32, csB: i32, c: usize, ldc: i32, k: i32,
  m0: i32, m1: i32, n0: i32, n1: i32, acc: bool,
): void {
  const rsAb = <usize>rsA << 2;
  const csAb = <usize>csA << 2;
  const rsBb = <usize>rsB << 2;
  const csBb = <usize>csB << 2;
  for (let i = m0; i < m1; i++) {
    const arow = a + <usize>i * rsAb;
    const crow = c + (<usize>(i * ldc) << 2);
    if (csB == 1) {
      let j = n0;
      for (; j + 16 <= n1; j += 16) {
        let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
        let bp = b + (<usize>j << 2);
        let ap = arow;
        for (let p = 0; p < k; p++) {
          const av = v128.load32_splat(ap);
          s0 = madd(av, v128.load(bp), s0);
          s1 = madd(av, v128.load(bp, 16), s1);
          s2 = madd(av, v128.load(bp, 32), s2);
          s3 = madd(av, v128.load(bp, 48), s3);
          ap += csAb;
          bp += rsBb;
        }
        const o = crow + (<usize>j << 2);
        if (acc) {
          s0 = f32x4.add(s0, v128.load(o));
          s1 = f32x4.add(s1, v128.load(o, 16));
          s2 = f32x4.add(s2, v128.load(o, 32));
          s3 = f32x4.add(s3, v128.load(o, 48));
        }
        v128.store(o, s0);
        v128.store(o, s1, 16);
        v128.store(o, s2, 32);
        v128.store(o, s3, 48);
      }
      for (; j + 4 <= n1; j += 4) {
        let s0 = f32x4.splat(0);
        let bp = b + (<usize>j << 2);
        let ap = arow;
        for (let p = 0; p < k; p++) {
          s0 = madd(v128.load32_splat(ap), v128.load(bp), s0);
          ap += csAb;
          bp += rsBb;
        }
        const o = crow + (<usize>j << 2);
        v128.store(o, acc ? f32x4.add(s0, v128.load(o)) : s0);
      }
      for (; j < n1; j++) {
        let s: f32 = 0;
        for (let p = 0; p < k; p++) s += load<f32>(arow + <usize>p * csAb) * load<f32>(b + <usize>p * rsBb + (<usize>j << 2));
        const o = crow + (<usize>j << 2);
        store<f32>(o, acc ? load<f32>(o) + s : s);
      }
    } else {
      // Transposed B (rsB == 1): C[i, j] = A[i, :] · B[:, j], both contiguous when csA == 1.
      for (let j = n0; j < n1; j++) {
        const bcol = b + <usize>j * csBb;
        let s: f32 = 0;
        let p = 0;
        if (csA == 1) {
          let v0 = f32x4.splat(0), v1 = f32x4.splat(0);
          for (; p + 8 <= k; p += 8) {
            const off = <usize>p << 2;
            v0 = madd(v128.load(arow + off), v128.load(bcol + off), v0);
            v1 = madd(v128.load(arow + off, 16), v128.load(bcol + off, 16), v1);
          }
          const v = f32x4.add(v0, v1);
          s = f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
        }
        for (; p < k; p++) s += load<f32>(arow + <usize>p * csAb) * load<f32>(bcol + (<usize>p << 2));
        const o = crow + (<usize>j << 2);
        store<f32>(o, acc ? load<f32>(o) + s : s);
      }
    }
  }
}

/**
 * C[i, j] (+)= Σ_p A[i, p]·B[p, j] for i in [m0, m1), j in [n0, n1). A[i, p] lies at
 * a + 4·(i·rsA + p·csA) and B[p, j] at b + 4·(p·rsB + j·csB) (element strides, so every
 * transpose is a choice of strides); C is row-major with leading dimension ldc. accumulate ≠ 0
 * adds to C instead of overwriting it. `work` is gemmWorkspaceBytes(m1 − m0, n1 − n0, k) of scratch.
 */
export function gemm(
  a: usize, rsA: i32, csA: i32, b: usize, rsB: i32, csB: i32, c: usize, ldc: i32, k: i32,
  m0: i32, m1: i32, n0: i32, n1: i32, accumulate: i32, work: usize,
): void {
  if (m1 <= m0 || n1 <= n0) return;
  const ldcb = <usize>ldc << 2;
  if (k <= 0) {
    if (accumulate == 0) {
      for (let i = m0; i < m1; i++) memory.fill(c + <usize>i * ldcb + (<usize>n0 << 2), 0, <usize>(n1 - n0) << 2);
    }
    return;
  }
  if (m1 - m0 < MR && (csB == 1 || (rsB == 1 && csA == 1))) {
    gemmFewRows(a, rsA, csA, b, rsB, csB, c, ldc, k, m0, m1, n0, n1, accumulate != 0);
    return;
  }
  const ap = (work + 15) & ~(<usize>15);
  const bp = ap + (<usize>(roundUp(min(MC, m1 - m0), MR) * min(KC, k)) << 2);
  const tile = bp + (<usize>(min(KC, k) * roundUp(min(NC, n1 - n0), NR)) << 2);
  for (let jc = n0; jc < n1; jc += NC) {
    const nc = min(NC, n1 - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const acc = accumulate != 0 || pc > 0;
      packB(b, rsB, csB, pc, kc, jc, nc, bp);
      for (let ic = m0; ic < m1; ic += MC) {
        const mc = min(MC, m1 - ic);
        packA(a, rsA, csA, ic, mc, pc, kc, ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bs = bp + (<usize>(jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const as = ap + (<usize>(ir * kc) << 2);
            const cp = c + <usize>(ic + ir) * ldcb + (<usize>(jc + jr) << 2);
            if (mr == MR && nr == NR) {
              kernel(kc, as, bs, cp, ldcb, acc);
            } else {
              kernel(kc, as, bs, tile, <usize>(NR << 2), false);
              for (let r = 0; r < mr; r++) {
                const crow = cp + <usize>r * ldcb;
                const trow = tile + (<usize>(r * NR) << 2);
                for (let j = 0; j < nr; j++) {
                  const o = crow + (<usize>j << 2);
                  const v = load<f32>(trow + (<usize>j << 2));
                  store<f32>(o, acc ? load<f32>(o) + v : v);
                }
              }
            }
          }
        }
      }
    }
  }
}

/**
 * Batches [b0, b1) of a batched product: C[t] (+)= op(A[t])·op(B[t]) with batch strides in
 * elements (0 reuses one matrix) and C batches packed m·n apart.
 */
export function gemmBatch(
  a: usize, aStride: i32, rsA: i32, csA: i32, b: usize, bStride: i32, rsB: i32, csB: i32, c: usize,
  m: i32, n: i32, k: i32, b0: i32, b1: i32, accumulate: i32, work: usize,
): void {
  for (let t = b0; t < b1; t++) {
    gemm(
      a + (<usize>(t * aStride) << 2), rsA, csA, b + (<usize>(t * bStride) << 2), rsB, csB,
      c + (<usize>(t * m * n) << 2), n, k, 0, m, 0, n, accumulate, work,
    );
  }
}
