import type { Ciphertext } from 'node-seal';
import {
  accumulateTerms,
  EvaluationSession,
  finishAggregates,
  WasmScope,
  type ChunkSource,
  type CiphertextBlob,
  type ParamSetId,
} from '@app/he/evaluation';
import { ChunkCache } from './chunk-cache.js';
import type {
  CacheChanges,
  CombineRequest,
  EngineReply,
  ShareRequest,
  ThreadStats,
} from './engine-protocol.js';

/** Key sessions (relinearisation and Galois keys, tens of MB each) a thread keeps open, most recently used. */
const MAX_SESSIONS = 2;

/** Bytes a loaded ciphertext occupies in WebAssembly memory: size × primes × N × 8. */
export function loadedBytes(ct: Ciphertext): number {
  return ct.size() * ct.coeffModulusSize() * ct.polyModulusDegree() * 8;
}

/**
 * The state of one evaluation thread: open key sessions (by the keys' blob hashes) and a byte-bounded LRU of loaded
 * ciphertexts (by chunk SHA-256). Runs shares of jobs; holds no secret key (only `@app/he/evaluation`).
 */
export class ShareEvaluator {
  private readonly cache: ChunkCache<Ciphertext>;
  private readonly sessions = new Map<string, EvaluationSession>();
  private kept?: { job: number; session: EvaluationSession; scope: WasmScope; acc: Map<string, Ciphertext> };
  private added = new Set<string>();
  private sessionsAdded: string[] = [];
  private sessionsEvicted: string[] = [];

  constructor(cacheBytes: number) {
    this.cache = new ChunkCache(cacheBytes);
  }

  stats(): ThreadStats {
    return {
      entries: this.cache.size,
      bytes: this.cache.bytes,
      budget: this.cache.budget,
      deleted: this.cache.deleted,
      sessions: this.sessions.size,
    };
  }

  async run(req: ShareRequest): Promise<EngineReply> {
    this.dropKept();
    const t0 = performance.now();
    const session = await this.session(req.paramSet, req.keys);
    let loadMs = performance.now() - t0;
    const statsBefore = session.stats.loadMs;
    const columns = Object.keys(req.chunks);
    const chunkCount = columns.length ? req.chunks[columns[0]].length : 0;
    for (const c of columns)
      if (req.chunks[c].length !== chunkCount) throw new Error(`column ${c}: chunk count differs`);

    // Pin what is cached and needed, so loading the rest cannot evict it before its turn.
    const needed = new Set(columns.flatMap((c) => req.chunks[c]));
    let cachedChunks = 0;
    for (const h of needed) {
      if (this.cache.has(h)) {
        this.cache.pin(h);
        cachedChunks++;
      } else if (!req.bytes[h]) throw new Error(`chunk ${h} is neither loaded nor sent`);
    }
    let loadedChunks = 0;
    const scope = new WasmScope();
    const fresh = new Map<string, Ciphertext>(); // loaded for the current chunk index, cached at its end
    const usedAt = new Set<string>();
    const source: ChunkSource = {
      chunkCount,
      chunk: (c, i) => {
        const h = req.chunks[c][i];
        usedAt.add(h);
        const hit = this.cache.get(h) ?? fresh.get(h);
        if (hit) return hit;
        const ct = new session.he.seal.Ciphertext();
        fresh.set(h, ct);
        session.loadInto({ bytes: req.bytes[h], sha256: h }, ct);
        loadedChunks++;
        return ct;
      },
      endChunk: () => {
        for (const h of usedAt) this.cache.unpin(h);
        usedAt.clear();
        for (const [h, ct] of fresh) {
          if (this.cache.put(h, ct, loadedBytes(ct))) this.added.add(h);
        }
        fresh.clear();
      },
    };
    let keep = false;
    try {
      const acc = accumulateTerms(session, source, req.terms, req.mask, scope);
      let outputs: Record<string, CiphertextBlob> | undefined;
      let partials: Record<string, Uint8Array> | undefined;
      if (req.mode === 'final') outputs = finishAggregates(session, acc, scope);
      else if (req.mode === 'partial') {
        partials = {};
        for (const [name, a] of acc)
          partials[name] = a.saveToArray(session.he.seal.ComprModeType.none) as Uint8Array;
      } else {
        this.kept = { job: req.job, session, scope, acc };
        keep = true;
      }
      loadMs += session.stats.loadMs - statsBefore;
      const computeMs = performance.now() - t0 - loadMs;
      return {
        ok: true,
        job: req.job,
        outputs,
        partials,
        timings: { loadMs, computeMs, loadedChunks, cachedChunks },
        ...this.drainChanges(),
      };
    } finally {
      for (const ct of fresh.values()) if (!ct.isDeleted()) ct.delete();
      for (const h of needed) this.cache.unpin(h);
      if (!keep) scope.dispose();
    }
  }

  /** Adds the other threads' partials into the kept accumulators, finishes and answers the aggregates. */
  combine(req: CombineRequest): EngineReply {
    const kept = this.kept;
    if (!kept || kept.job !== req.job) throw new Error(`no partial aggregates kept for job ${req.job}`);
    this.kept = undefined;
    const t0 = performance.now();
    try {
      const { session, scope, acc } = kept;
      const tmp = scope.track(new session.he.seal.Ciphertext());
      for (const [name, parts] of Object.entries(req.partials)) {
        const a = acc.get(name);
        if (!a) throw new Error(`no accumulator for ${name}`);
        for (const bytes of parts) {
          tmp.loadFromArray(session.he.context, bytes);
          session.addInplace(a, tmp);
        }
      }
      const outputs = finishAggregates(session, acc, scope);
      return {
        ok: true,
        job: req.job,
        outputs,
        timings: { loadMs: 0, computeMs: performance.now() - t0, loadedChunks: 0, cachedChunks: 0 },
      };
    } finally {
      kept.scope.dispose();
    }
  }

  dispose(): void {
    this.dropKept();
    this.cache.clear();
    for (const s of this.sessions.values()) s.dispose();
    this.sessions.clear();
  }

  private dropKept(): void {
    this.kept?.scope.dispose();
    this.kept = undefined;
  }

  private async session(paramSet: ParamSetId, keys: ShareRequest['keys']): Promise<EvaluationSession> {
    const open = this.sessions.get(keys.id);
    if (open) {
      this.sessions.delete(keys.id);
      this.sessions.set(keys.id, open);
      return open;
    }
    if (!keys.relinKeys || !keys.galoisKeys)
      throw new Error(`evaluation keys ${keys.id} are neither open nor sent`);
    const session = await EvaluationSession.open({
      paramSet,
      relinKeys: keys.relinKeys,
      galoisKeys: keys.galoisKeys,
    });
    for (const [id, s] of this.sessions) {
      if (this.sessions.size < MAX_SESSIONS) break;
      s.dispose();
      this.sessions.delete(id);
      this.sessionsEvicted.push(id);
    }
    this.sessions.set(keys.id, session);
    this.sessionsAdded.push(keys.id);
    return session;
  }

  /** Cache and session changes since the last call, for the engine's mirror (also after a failed share). */
  drainChanges(): CacheChanges {
    const evicted = this.cache.drainEvicted().filter((h) => !this.cache.has(h));
    const added = [...this.added].filter((h) => this.cache.has(h));
    this.added = new Set();
    const changes = {
      added,
      evicted,
      sessionsAdded: this.sessionsAdded.filter((id) => this.sessions.has(id)),
      sessionsEvicted: this.sessionsEvicted.filter((id) => !this.sessions.has(id)),
    };
    this.sessionsAdded = [];
    this.sessionsEvicted = [];
    return changes;
  }
}
