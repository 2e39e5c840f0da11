/**
 * Array check for values typed as arrays but possibly deserialised from untrusted JSON. Returns a plain
 * boolean on purpose: `Array.isArray` would narrow a readonly typed array to `any[]`.
 */
export function isArrayValue(value: unknown): boolean {
  return Array.isArray(value);
}
