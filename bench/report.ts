/** One benchmark figure, printed as a single JSON line so runs can be compared. */
export interface Figure {
  bench: string;
  figure: string;
  value: number;
  unit: string;
  n: number;
}

export function report(figure: Figure): void {
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

/** Median of a non-empty list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const isQuick = (): boolean => process.argv.includes('--quick');
