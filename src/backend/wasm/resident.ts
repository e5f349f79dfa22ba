import { type BlockHeap, classBytes, classOf } from './block-heap.js';

const NUDGE_BYTES = 64 * 2 ** 20;

interface Block {
  p: number;
  c: number;
}

/**
 * Float32 tensor storage inside the wasm memory, so that kernels take a tensor's address instead
 * of copying it in and out. Only over a shared memory: growing a SharedArrayBuffer-backed memory
 * leaves earlier views valid (it hands out a new, longer SharedArrayBuffer and keeps the old one),
 * whereas growing a plain memory detaches every view into it.
 *
 * A block returns to the heap through a FinalizationRegistry when its view has been collected, so
 * nothing may keep using the block through another view object (a subarray does not keep its
 * parent alive). Cleanup callbacks are tasks: blocks come back only when the event loop gets a
 * turn. (Weak references, which could be polled synchronously, keep a target made in the current
 * job alive until the job ends; measured in Node 20 they kept every block of a training loop.)
 * A loop that never yields keeps taking blocks: past `maxBytes` of live blocks, allocate()
 * declines and the tensor gets a plain array (staged per call, as before).
 *
 * The engine does not see the memory behind a view (it is one small object), so dead views would
 * wait for a full collection that nothing prompts. For every 64 MiB handed out, a 64 MiB
 * ArrayBuffer is made and dropped: the size plain arrays would have reported to the collector's
 * external-memory heuristics, at the cost of an untouched (lazily mapped) allocation. Blocks found
 * dead only come back at a turn of the event loop, so a loop that never yields gets one nudge and
 * no more until a turn has passed: in a process with a large heap each nudge is a full collection
 * (measured: W3 training in the benchmark process slowed from ~1 s to 6.5 s a step with a nudge
 * every 64 MiB and no turn to collect them).
 */
export class ResidentStorage {
  /** Every SharedArrayBuffer the memory has handed out (one per growth): a view of any is resident. */
  private readonly buffers = new Set<ArrayBufferLike>();
  private readonly registry: FinalizationRegistry<number> | null;
  /** Live blocks by id, the registry's held value (an address alone could name a reused block). */
  private readonly blocks = new Map<number, Block>();
  private nextId = 1;
  private liveBytes = 0;
  private sinceNudge = 0;
  /** False from a nudge until the event loop has turned once (see above). */
  private turned = true;
  /** The latest nudge, kept in a field so that no engine can elide its allocation. */
  private nudge: ArrayBuffer | null = null;
  /** Blocks taken and freed since creation (for tests). */
  taken = 0;
  freed = 0;

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly heap: BlockHeap,
    /** Most bytes of live tensor blocks; 0 turns residency off. */
    public maxBytes: number,
    /** Tensor blocks end below this address (the rest of the memory's maximum is kept for scratch). */
    private readonly maxEnd: number,
  ) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    this.registry = shared && typeof FinalizationRegistry === 'function' ? new FinalizationRegistry((id) => this.release(id)) : null;
    this.noteBuffer();
  }

  /** Whether tensors can live in this memory at all. */
  get enabled(): boolean {
    return this.registry !== null && this.maxBytes > 0;
  }

  /** Bytes of blocks held by tensor views not yet known to be collected. */
  get residentBytes(): number {
    return this.liveBytes;
  }

  get residentBlocks(): number {
    return this.blocks.size;
  }

  /** Records the memory's current buffer; the runtime calls it after every growth. */
  noteBuffer(): void {
    if (this.registry !== null) this.buffers.add(this.memory.buffer);
  }

  /** Whether `x` is a view into this memory, so that its byteOffset is its address. */
  owns(x: ArrayBufferView): boolean {
    return this.buffers.has(x.buffer);
  }

  /**
   * A Float32Array of `size` elements in the wasm memory, zero-filled unless `zeroed` is false, or
   * undefined when residency is off, the budget is spent or the memory cannot grow (the caller
   * then uses a plain array).
   */
  allocate(size: number, zeroed = true): Float32Array | undefined {
    if (this.registry === null || size <= 0 || size * 4 > this.maxBytes) return undefined;
    const c = classOf(size * 4);
    const bytes = classBytes(c);
    if (this.liveBytes + bytes > this.maxBytes) return undefined;
    // Leave the top of the memory to the scratch arena: a kernel that cannot get scratch falls back to
    // the reference kernels, far slower than staging a tensor that did not get a block.
    if (this.heap.wouldExtendPast(c, this.maxEnd)) return undefined;
    let block: { p: number; fresh: boolean };
    try {
      block = this.heap.take(c);
    } catch (e) {
      if (e instanceof RangeError) return undefined;
      throw e;
    }
    const buffer = this.memory.buffer;
    this.buffers.add(buffer); // normally known already (noteBuffer after each growth); cheap to be sure
    const view = new Float32Array(buffer, block.p, size);
    // Memory the heap never handed out is still zero (fresh pages); a recycled block holds old values.
    if (!block.fresh && zeroed) view.fill(0);
    const id = this.nextId++;
    this.blocks.set(id, { p: block.p, c });
    this.registry.register(view, id);
    this.liveBytes += bytes;
    this.taken++;
    this.sinceNudge += bytes;
    if (this.sinceNudge >= NUDGE_BYTES && this.turned) {
      this.sinceNudge = 0;
      this.nudge = new ArrayBuffer(NUDGE_BYTES);
      this.turned = false;
      const timer: unknown = setTimeout(() => {
        this.turned = true;
      }, 0);
      // Node: the timer must not keep a finished program alive.
      (timer as { unref?: () => void }).unref?.();
    }
    return view;
  }

  private release(id: number): void {
    const b = this.blocks.get(id);
    if (b === undefined) return;
    this.blocks.delete(id);
    this.liveBytes -= classBytes(b.c);
    this.freed++;
    this.heap.give(b.p, b.c);
  }
}
