// A virtual clock: nothing happens on the simulated network until the harness lets time pass,
// so every run delivers the same events in the same order. Timers sit in a binary heap, so a
// model with 100,000 pending events costs log n per event, not a scan.

interface Timer {
  at: number;
  /** Tie-break among timers of the same instant (negated when ties run in reverse). */
  seq: number;
  run: () => void;
  cancelled: boolean;
}

export interface TimerHandle {
  cancel(): void;
}

export interface ClockOptions {
  /** Timers due at the same instant run in scheduling order, or in reverse. */
  ties?: "scheduled" | "reversed";
}

export class VirtualClock {
  private nowMs = 0;
  private seq = 0;
  private live = 0;
  private readonly heap: Timer[] = [];
  private readonly reversed: boolean;

  constructor(options: ClockOptions = {}) {
    this.reversed = options.ties === "reversed";
  }

  get now(): number {
    return this.nowMs;
  }

  /** Runs `run` once `delayMs` of virtual time has passed (0: at the next advance, even advance(0)). */
  schedule(delayMs: number, run: () => void): TimerHandle {
    const n = this.seq++;
    const timer: Timer = { at: this.nowMs + Math.max(0, delayMs), seq: this.reversed ? -n : n, run, cancelled: false };
    this.push(timer);
    this.live++;
    return {
      cancel: () => {
        if (timer.cancelled) return;
        timer.cancelled = true;
        this.live--;
        // Cancelled timers leave the heap lazily; when they are most of it, sweep them out so a
        // cancelled timeout does not hold its join's state until its time comes.
        if (this.heap.length > 64 && this.live * 2 < this.heap.length) this.sweep();
      },
    };
  }

  /** Moves time forward by `ms`, running due timers in time order (ties: see ClockOptions). */
  advance(ms: number): number {
    const until = this.nowMs + Math.max(0, ms);
    let ran = 0;
    for (;;) {
      const next = this.heap[0];
      if (!next || next.at > until) break;
      this.pop();
      if (next.cancelled) continue;
      next.cancelled = true;
      this.live--;
      this.nowMs = next.at;
      next.run();
      ran++;
    }
    this.nowMs = until;
    return ran;
  }

  pending(): number {
    return this.live;
  }

  /** Virtual ms from now until the earliest live timer falls due; null when none is pending. */
  nextDueIn(): number | null {
    // Cancelled timers at the top are dropped here, as advance would drop them.
    while (this.heap.length > 0 && this.heap[0].cancelled) this.pop();
    return this.heap.length === 0 ? null : this.heap[0].at - this.nowMs;
  }

  private sweep(): void {
    const kept = this.heap.filter((t) => !t.cancelled).sort((a, b) => (this.before(a, b) ? -1 : this.before(b, a) ? 1 : 0));
    this.heap.length = 0;
    this.heap.push(...kept); // a sorted array is a valid heap
  }

  private before(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(t: Timer): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!this.before(h[i], h[up])) break;
      [h[i], h[up]] = [h[up], h[i]];
      i = up;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop() as Timer;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.before(h[l], h[m])) m = l;
      if (r < h.length && this.before(h[r], h[m])) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
}
