/**
 * A block allocator over the wasm memory above the kernels' static data: 64-byte aligned blocks in
 * size classes (every 64 bytes up to 1 KiB, then four classes per power of two, so a block wastes
 * at most a quarter), one free list per class, and a bump pointer that grows the memory when the
 * free lists have nothing to offer. Blocks are never split or merged: tensors of a training step
 * come back with the same sizes every step, so exact classes are reused without searching.
 */

export const BLOCK_ALIGN = 64;
const PAGE = 65536;
const SMALL_CLASSES = 16;

/** The size class of a block of `bytes` bytes. */
export function classOf(bytes: number): number {
  const units = Math.max(1, Math.ceil(bytes / BLOCK_ALIGN));
  if (units <= SMALL_CLASSES) return units - 1;
  const e = 31 - Math.clz32(units - 1); // 2^e ≤ units − 1 < 2^(e+1), e ≥ 4
  const step = 2 ** (e - 2);
  return SMALL_CLASSES + (e - 4) * 4 + (Math.ceil(units / step) - 5);
}

/** The bytes of every block of class `c`. */
export function classBytes(c: number): number {
  if (c < SMALL_CLASSES) return (c + 1) * BLOCK_ALIGN;
  const e = 4 + ((c - SMALL_CLASSES) >> 2);
  const q = 5 + ((c - SMALL_CLASSES) & 3);
  return q * 2 ** (e - 2) * BLOCK_ALIGN;
}

export class BlockHeap {
  private top: number;
  private readonly free: number[][] = [];

  /**
   * `base`: first usable byte (aligned here); `maxPages`: the memory's maximum; `onGrow` runs after
   * every growth (views over a plain memory's old buffer are detached by it).
   */
  constructor(
    private readonly memory: WebAssembly.Memory,
    base: number,
    private readonly maxPages: number,
    private readonly onGrow: () => void,
  ) {
    this.top = Math.ceil(base / BLOCK_ALIGN) * BLOCK_ALIGN;
  }

  /** End of the highest block handed out so far. */
  get end(): number {
    return this.top;
  }

  /**
   * A block of class `c`: `fresh` is true when it was never handed out (so still zero-filled), false
   * for a recycled one. Throws a RangeError when the memory cannot grow enough.
   */
  take(c: number): { p: number; fresh: boolean } {
    const list = this.free[c];
    if (list !== undefined && list.length > 0) return { p: list.pop()!, fresh: false };
    const bytes = classBytes(c);
    this.ensure(this.top + bytes);
    const p = this.top;
    this.top += bytes;
    return { p, fresh: true };
  }

  /** Whether taking a block of class `c` would move the heap's end past `limit` (no free block to reuse). */
  wouldExtendPast(c: number, limit: number): boolean {
    const list = this.free[c];
    return (list === undefined || list.length === 0) && this.top + classBytes(c) > limit;
  }

  /** Returns a block taken with class `c` to its free list. */
  give(p: number, c: number): void {
    (this.free[c] ??= []).push(p);
  }

  /** Bytes held in free lists. */
  freeBytes(): number {
    let n = 0;
    this.free.forEach((list, c) => (n += list.length * classBytes(c)));
    return n;
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const current = have / PAGE;
    const pages = Math.ceil((end - have) / PAGE);
    // Grow by at least a quarter of the current size, so a growing model does not grow every call.
    const want = Math.min(Math.max(pages, Math.ceil(current / 4)), this.maxPages - current);
    if (want < pages) throw new RangeError(`wasm backend: needs ${end} bytes of memory, more than its ${this.maxPages * PAGE}-byte maximum`);
    this.memory.grow(want); // throws a RangeError when the engine cannot reserve more
    this.onGrow();
  }
}
