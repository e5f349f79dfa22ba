import { BLOCK_ALIGN, type BlockHeap, classBytes, classOf } from './block-heap.js';

const INITIAL_BYTES = 1 << 20;

/**
 * Per-call scratch space (staged inputs, outputs copied back, workspaces, geometry records): a bump
 * pointer inside one block of the heap, rewound by every backend call. The block belongs to the
 * arena alone, so scratch never overwrites tensors that live in the same memory. A call that
 * needs more takes extra blocks; the next call's reset returns them and takes one block big enough
 * for everything the previous call used, so the arena settles at a model's largest call.
 */
export class Arena {
  private blocks: { p: number; c: number }[] = [];
  private top = 0;
  private end = 0;
  private used = 0;

  constructor(private readonly heap: BlockHeap) {}

  /** Frees everything allocated since the last reset. */
  reset(): void {
    if (this.blocks.length > 1) {
      for (const b of this.blocks) this.heap.give(b.p, b.c);
      this.blocks = [];
      this.open(this.used);
    } else if (this.blocks.length === 1) {
      this.top = this.blocks[0]!.p;
    }
    this.used = 0;
  }

  /** `bytes` of scratch, 64-byte aligned; throws a RangeError when the memory cannot grow enough. */
  alloc(bytes: number): number {
    const size = Math.ceil(Math.max(bytes, 0) / BLOCK_ALIGN) * BLOCK_ALIGN;
    if (this.top + size > this.end || this.blocks.length === 0) {
      const last = this.blocks[this.blocks.length - 1];
      this.open(Math.max(size, last === undefined ? INITIAL_BYTES : classBytes(last.c)));
    }
    const p = this.top;
    this.top += size;
    this.used += size;
    return p;
  }

  private open(bytes: number): void {
    const c = classOf(Math.max(bytes, INITIAL_BYTES));
    const { p } = this.heap.take(c);
    this.blocks.push({ p, c });
    this.top = p;
    this.end = p + classBytes(c);
  }
}
