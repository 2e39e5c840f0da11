/** Anything node-seal allocates in WebAssembly memory. */
export interface Deletable {
  delete(): void;
  isDeleted(): boolean;
}

/**
 * Tracks node-seal objects created during one computation and frees them together,
 * so an exception half-way through cannot leak WebAssembly memory.
 */
export class WasmScope {
  private readonly owned: Deletable[] = [];

  track<T extends Deletable>(obj: T): T {
    this.owned.push(obj);
    return obj;
  }

  /** Frees one tracked object early (e.g. a per-chunk temporary in a long loop). */
  free(obj: Deletable): void {
    const at = this.owned.lastIndexOf(obj);
    if (at >= 0) this.owned.splice(at, 1);
    if (!obj.isDeleted()) obj.delete();
  }

  /** Stops tracking an object that now belongs to the caller. */
  release<T extends Deletable>(obj: T): T {
    const at = this.owned.lastIndexOf(obj);
    if (at >= 0) this.owned.splice(at, 1);
    return obj;
  }

  dispose(): void {
    for (let i = this.owned.length - 1; i >= 0; i--) {
      const obj = this.owned[i];
      if (!obj.isDeleted()) obj.delete();
    }
    this.owned.length = 0;
  }
}

/** Runs `fn` with a fresh scope and frees everything it tracked, even on error. */
export function withScope<T>(fn: (scope: WasmScope) => T): T {
  const scope = new WasmScope();
  try {
    return fn(scope);
  } finally {
    scope.dispose();
  }
}
