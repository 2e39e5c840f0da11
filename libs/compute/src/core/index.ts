// `@app/compute/core`: the framework-free part of computations (no Nest, no ORM): states, codes, the job spec the
// sandbox loads, the stored evaluation and the released result the buyer opens. The CLI and the worker use it.
export * from './computation-job.js';
export * from './computation-states.js';
export * from './stored-evaluation.js';
