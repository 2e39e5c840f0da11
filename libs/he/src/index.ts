/**
 * @app/he — homomorphic encryption over node-seal 7. `evaluation.ts` is the secret-free subset
 * (import it alone where no secret key may be reachable); `data-holder.ts` is the secret side.
 */
export * from './evaluation.js';
export * from './data-holder.js';
