import SEAL from 'node-seal';
import type { MainModule } from 'node-seal';

/** The node-seal WebAssembly module: one instance per thread, loaded once. */
export type Seal = MainModule;

let loading: Promise<Seal> | undefined;

/** Loads (once per thread) the node-seal build that throws on transparent ciphertexts. */
export function loadSeal(): Promise<Seal> {
  loading ??= SEAL();
  return loading;
}
