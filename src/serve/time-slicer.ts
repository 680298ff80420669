import { performance } from 'node:perf_hooks';

/**
 * Cuts a long synchronous job on the serving thread into slices of about `budgetMs`, yielding to
 * the event loop between them (`setImmediate`: pending requests run before the next slice), and
 * keeps the longest slice it saw, which is the longest the job held the thread in one go.
 *
 * @example
 *   const slicer = new TimeSlicer(4);
 *   for (let i = 0; i < n; i++) { work(i); if ((i & 1023) === 1023) await slicer.pause(); }
 *   slicer.end(); // slicer.longestMs
 */
export class TimeSlicer {
  private sliceStart = performance.now();
  /** The longest stretch between two yields, in ms. */
  longestMs = 0;
  /** How many times it yielded. */
  yields = 0;
  /** The slices' total, in ms: all the work done on this thread. */
  busyMs = 0;
  private open = true;

  constructor(readonly budgetMs = 4) {}

  /** Yields when the current slice has used its budget; otherwise returns at once. */
  async pause(): Promise<void> {
    if (this.open && performance.now() - this.sliceStart >= this.budgetMs) await this.yieldNow();
  }

  /** Ends the current slice and lets the event loop run. */
  async yieldNow(): Promise<void> {
    this.end();
    this.yields++;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.resume();
  }

  /** Starts a new slice after waiting on something else (I/O, another thread): that wait held nothing. */
  resume(): void {
    this.sliceStart = performance.now();
    this.open = true;
  }

  /** Closes the current slice (counts it towards `longestMs`). */
  end(): void {
    if (!this.open) return;
    this.open = false;
    const ms = performance.now() - this.sliceStart;
    this.longestMs = Math.max(this.longestMs, ms);
    this.busyMs += ms;
  }
}
