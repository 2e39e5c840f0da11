// `@app/results/core`: the sealed-result format (HPKE, RFC 9180) and the buyer's result key file, without Nest or
// the ORM: what the CLI (and the release agent) seal and open results with.
export * from './result-envelope.js';
export * from './result-key-file.js';
