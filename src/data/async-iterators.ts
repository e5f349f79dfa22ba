// The iterators behind Dataset.prefetch and parallel maps: they pull from their source in the
// background, with bounded read-ahead, and keep element order. Both propagate return() (an
// abandoned iteration) to their source, so generators run their `finally` blocks and worker pools close.

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

type Settled<T> = { kind: 'value'; value: T } | { kind: 'done' } | { kind: 'error'; error: unknown };

/** Calls `it.next()` and turns a synchronous throw into a rejection. */
function pull<T>(it: AsyncIterator<T>): Promise<IteratorResult<T>> {
  try {
    return Promise.resolve(it.next());
  } catch (e) {
    return Promise.reject(e);
  }
}

/** Closes an iterator that has not finished, ignoring errors from its cleanup. */
export async function closeIterator(it: AsyncIterator<unknown>): Promise<void> {
  if (typeof it.return === 'function') {
    try {
      await it.return();
    } catch {
      // The consumer is abandoning the iteration; a failing cleanup must not mask that.
    }
  }
}

/**
 * Pulls up to `size` elements ahead of the consumer, one source call at a time. Pulling starts on
 * the first next(); errors are delivered in order, after the elements that preceded them.
 */
export class PrefetchIterator<T> implements AsyncIterator<T> {
  private readonly ready: Settled<T>[] = [];
  private readonly waiters: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void }[] = [];
  private inFlight: Promise<unknown> | null = null;
  private ended = false;
  private closed = false;

  constructor(
    private readonly source: AsyncIterator<T>,
    private readonly size: number,
  ) {}

  next(): Promise<IteratorResult<T>> {
    if (this.closed) return Promise.resolve(DONE);
    const p = new Promise<IteratorResult<T>>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.deliver();
    this.pump();
    return p;
  }

  private deliver(): void {
    while (this.waiters.length > 0 && (this.ready.length > 0 || this.ended)) {
      const w = this.waiters.shift()!;
      const s = this.ready.shift();
      if (s === undefined || s.kind === 'done') w.resolve(DONE);
      else if (s.kind === 'value') w.resolve({ done: false, value: s.value });
      else w.reject(s.error);
    }
  }

  private pump(): void {
    if (this.inFlight !== null || this.ended || this.closed) return;
    if (this.ready.length >= this.size + this.waiters.length) return;
    this.inFlight = pull(this.source).then(
      (r) => {
        this.inFlight = null;
        if (this.closed) return;
        if (r.done) this.ended = true;
        else this.ready.push({ kind: 'value', value: r.value });
        this.deliver();
        this.pump();
      },
      (error: unknown) => {
        this.inFlight = null;
        this.ended = true;
        if (this.closed) return;
        this.ready.push({ kind: 'error', error });
        this.deliver();
      },
    );
  }

  async return(): Promise<IteratorResult<T>> {
    if (this.closed) return DONE;
    this.closed = true;
    this.ready.length = 0;
    for (const w of this.waiters.splice(0)) w.resolve(DONE);
    if (this.inFlight !== null) await this.inFlight;
    if (!this.ended) await closeIterator(this.source);
    this.ended = true;
    return DONE;
  }
}

/**
 * Applies `fn` to the source's elements with up to `concurrency` calls in flight, and yields the
 * results in source order. Read-ahead is bounded by `concurrency` (results waiting for the consumer
 * count against it). After an error the iteration ends and the source is closed. `onClose` runs
 * once when the iteration finishes, fails or is abandoned.
 */
export class OrderedMapIterator<T, U> implements AsyncIterator<U> {
  private readonly queue: Promise<Settled<U>>[] = [];
  private chain: Promise<'more' | 'end'> = Promise.resolve('more');
  private sourceEnded = false;
  private finished = false;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly source: AsyncIterator<T>,
    private readonly fn: (x: T) => U | Promise<U>,
    private readonly concurrency: number,
    private readonly onClose?: () => void | Promise<void>,
  ) {}

  private fill(): void {
    while (!this.sourceEnded && this.queue.length < this.concurrency) {
      // Source pulls are chained: one at a time, in order, and none after the source has ended.
      const pulled = this.chain.then(async (state): Promise<IteratorResult<T> | 'end'> => {
        if (state === 'end' || this.finished) return 'end';
        try {
          const r = await pull(this.source);
          if (r.done) this.sourceEnded = true;
          return r.done ? 'end' : r;
        } catch (e) {
          this.sourceEnded = true;
          throw e;
        }
      });
      this.chain = pulled.then(
        (r) => (r === 'end' ? 'end' : 'more'),
        () => 'end',
      );
      this.queue.push(
        pulled.then(
          async (r): Promise<Settled<U>> => (r === 'end' ? { kind: 'done' } : { kind: 'value', value: await this.fn(r.value) }),
        ).catch((error: unknown): Settled<U> => ({ kind: 'error', error })),
      );
    }
  }

  async next(): Promise<IteratorResult<U>> {
    if (this.finished) return DONE;
    this.fill();
    const head = this.queue.shift();
    if (head === undefined) {
      await this.finish();
      return DONE;
    }
    const s = await head;
    if (s.kind === 'value') return { done: false, value: s.value };
    await this.finish();
    if (s.kind === 'error') throw s.error;
    return DONE;
  }

  /** Stops pulling, closes the source if it has not ended, and runs onClose; idempotent. */
  private finish(): Promise<void> {
    if (this.closing === null) {
      this.finished = true;
      this.queue.length = 0;
      this.closing = (async () => {
        await this.chain;
        if (!this.sourceEnded) await closeIterator(this.source);
        await this.onClose?.();
      })();
    }
    return this.closing;
  }

  async return(): Promise<IteratorResult<U>> {
    await this.finish();
    return DONE;
  }
}

/** An iterator whose real iterator is created asynchronously on the first next() (or never, if unused). */
export class LazyIterator<T> implements AsyncIterator<T> {
  private inner: Promise<AsyncIterator<T>> | null = null;
  private closed = false;

  constructor(private readonly init: () => Promise<AsyncIterator<T>>) {}

  async next(): Promise<IteratorResult<T>> {
    if (this.closed) return DONE;
    this.inner ??= this.init();
    return (await this.inner).next();
  }

  async return(): Promise<IteratorResult<T>> {
    this.closed = true;
    if (this.inner !== null) {
      const inner = await this.inner.catch(() => null);
      if (inner !== null) await closeIterator(inner);
    }
    return DONE;
  }
}
