// `@app/results`: the buyer's result key registry (issue 11, P4) and the sealed-result envelope format. The key
// file (passphrase-sealed private key) is only in `@app/results/core`, for the CLI.
export * from './core/result-envelope.js';
export * from './entities/result-key.entity.js';
export * from './result-key.service.js';
export * from './results.module.js';
