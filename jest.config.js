/** Jest in ESM mode: @swc/jest compiles TypeScript with decorator metadata; `@app/<lib>` maps to each lib's index. */
const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2023',
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

export default {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/sandbox', '<rootDir>/contracts', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swcOptions] },
  moduleNameMapper: {
    // The secret-free half of the HE lib, its second public entry point: what the sandbox may import.
    '^@app/he/evaluation$': '<rootDir>/libs/he/src/evaluation.ts',
    // The sandbox worker's composition: config, clock and jobs, without the domain.
    '^@app/platform/worker$': '<rootDir>/libs/platform/src/worker.ts',
    // The framework-free core of the ledger (no Nest, no ORM): what the offline verifier may import.
    '^@app/ledger/core$': '<rootDir>/libs/ledger/src/core/index.ts',
    // The framework-free certificate format and verifier: what `exchange cert verify` runs on.
    '^@app/assets/core$': '<rootDir>/libs/assets/src/core/index.ts',
    // The framework-free rules of a trade: what `exchange contract sign` builds its typed data with.
    '^@app/trading/core$': '<rootDir>/libs/trading/src/core/index.ts',
    // The framework-free sealed-result format and the buyer's key file: what `exchange keys` runs on.
    '^@app/results/core$': '<rootDir>/libs/results/src/core/index.ts',
    // The framework-free computation types (states, job spec, released result), and the sandbox worker's side.
    '^@app/compute/core$': '<rootDir>/libs/compute/src/core/index.ts',
    '^@app/compute/worker$': '<rootDir>/libs/compute/src/worker/index.ts',
    // The framework-free rules of the oversight workspace (states, deadlines).
    '^@app/oversight/core$': '<rootDir>/libs/oversight/src/core/index.ts',
    '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testTimeout: 60000,
  // Each test file makes its own database (a SQLite file, or a PostgreSQL database and a Redis key prefix), so two
  // files run at once (1.6x faster on 2 cores). On PostgreSQL that needs more than the default 100 connections:
  // scripts/services.sh raises max_connections to 300.
  maxWorkers: 2,
};
