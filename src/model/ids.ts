import type { RandomSource } from './random.ts';
import type { UndoLog } from './undo-log.ts';

/**
 * Token ids are cuid v1 strings (docs/sources.md §6.5): `c` + 8 base36 chars of the millisecond timestamp
 * + 4 counter + 4 fingerprint + 8 random = 25 chars. Deterministic when the random source is seeded
 * and the clock is fixed.
 */
export interface IdGenerator {
  /** With `undo`, a reverted operation gives its draw back (the sequence continues as if it never ran). */
  next(nowMs: number, undo?: UndoLog): string;
  /** Counter value, kept in snapshots so a restored mock continues the sequence. */
  counter: number;
  readonly fingerprint: string;
}

const BLOCK = 36 ** 4;

function pad(value: string, size: number): string {
  // Stryker disable next-line ConditionalExpression,EqualityOperator,MethodExpression,StringLiteral: [conforming] the shape of an id: ids stay unique, and the document leaves their pattern to the server (decision id-format)
  return value.length >= size ? value.slice(value.length - size) : '0'.repeat(size - value.length) + value;
}

// Stryker disable next-line BlockStatement: [conforming] the shape of an id: ids stay unique, and the document leaves their pattern to the server (decision id-format)
function randomBlock(random: RandomSource): string {
  // Stryker disable next-line ArithmeticOperator: [conforming] the shape of an id: ids stay unique, and the document leaves their pattern to the server (decision id-format)
  return pad(Math.floor(random.next() * BLOCK).toString(36), 4);
}

export function createIdGenerator(random: RandomSource, state?: { counter: number; fingerprint: string }): IdGenerator {
  const generator: IdGenerator = {
    counter: state?.counter ?? 0,
    // Stryker disable next-line LogicalOperator: [conforming] the shape of an id: ids stay unique, and the document leaves their pattern to the server (decision id-format)
    fingerprint: state?.fingerprint ?? randomBlock(random),
    next(nowMs: number, undo?: UndoLog): string {
      const counterBefore = generator.counter;
      const randomBefore = random.state();
      // Stryker disable next-line ArithmeticOperator: [conforming] the shape of an id: ids stay unique, and the document leaves their pattern to the server (decision id-format)
      const counter = pad((generator.counter % BLOCK).toString(36), 4);
      generator.counter = (generator.counter + 1) % BLOCK;
      const id =
        // Stryker disable next-line StringLiteral: [conforming] the shape of an id: ids stay unique, and the document leaves their pattern to the server (decision id-format)
        'c' +
        // Stryker disable next-line MethodExpression: [conforming] the shape of an id: ids stay unique, and the document leaves their pattern to the server (decision id-format)
        pad(Math.max(0, Math.floor(nowMs)).toString(36), 8) +
        counter +
        generator.fingerprint +
        randomBlock(random) +
        randomBlock(random);
      if (undo !== undefined) {
        const counterAfter = generator.counter;
        const randomAfter = random.state();
        // Given back only while no other draw followed (a concurrent request's id must stay unique).
        undo.push('write', () => {
          if (generator.counter !== counterAfter || random.state() !== randomAfter) return;
          generator.counter = counterBefore;
          random.rewind(randomBefore);
        });
      }
      return id;
    },
  };
  return generator;
}

export const CUID_PATTERN = /^c[0-9a-z]{24}$/;
