import { parentPort } from 'node:worker_threads';
import { verifyChunk, type ChunkResult } from './export-entry-check.js';
import type { HashAlgorithm } from './hash-algorithm.js';

/** A chunk of export bytes to verify: `buffer[start, end)`, newline-aligned. */
export interface ChunkJob {
  id: number;
  buffer: ArrayBuffer;
  start: number;
  end: number;
  hashAlgorithm: HashAlgorithm;
}

// Worker entry of the export verifier's pool: answers each chunk with its verified leaf hashes and
// hands the chunk's buffer back (transferred, never copied), so the caller can re-read it on a failure.
const port = parentPort;
if (port) {
  port.on('message', (job: ChunkJob) => {
    const text = Buffer.from(job.buffer, job.start, job.end - job.start).toString('utf8');
    let result: ChunkResult;
    try {
      result = verifyChunk(text, job.hashAlgorithm);
    } catch {
      // E.g. a value nested too deeply to check: the calling thread re-verifies the chunk and decides.
      result = { ok: false, entries: 0, base: 0, hashes: new Uint8Array(0), heads: [], lines: 0 };
    }
    const hashes = result.hashes.buffer as ArrayBuffer;
    port.postMessage(
      { ...job, result: { ...result, hashes: { buffer: hashes, length: result.hashes.length } } },
      [job.buffer, hashes],
    );
  });
  port.postMessage('ready');
}
