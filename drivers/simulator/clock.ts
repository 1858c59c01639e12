// A virtual clock: nothing happens on the simulated network until the harness lets time pass,
// so every run delivers the same events in the same order.

interface Timer {
  at: number;
  seq: number;
  run: () => void;
  cancelled: boolean;
}

export interface TimerHandle {
  cancel(): void;
}

export class VirtualClock {
  private nowMs = 0;
  private seq = 0;
  private timers: Timer[] = [];

  get now(): number {
    return this.nowMs;
  }

  /** Runs `run` once `delayMs` of virtual time has passed (0: at the next advance, even advance(0)). */
  schedule(delayMs: number, run: () => void): TimerHandle {
    const timer: Timer = { at: this.nowMs + Math.max(0, delayMs), seq: this.seq++, run, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  /** Moves time forward by `ms`, running due timers in time order (ties: in scheduling order). */
  advance(ms: number): number {
    const until = this.nowMs + Math.max(0, ms);
    let ran = 0;
    for (;;) {
      const next = this.nextDue(until);
      if (!next) break;
      this.timers.splice(this.timers.indexOf(next), 1);
      this.nowMs = next.at;
      next.run();
      ran++;
    }
    this.nowMs = until;
    return ran;
  }

  pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  private nextDue(until: number): Timer | undefined {
    this.timers = this.timers.filter((t) => !t.cancelled);
    let best: Timer | undefined;
    for (const t of this.timers) {
      if (t.at > until) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
