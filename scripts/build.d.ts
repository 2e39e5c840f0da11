export const DIST: string;
export function isBuildFresh(): boolean;
export function build(): Promise<number>;
export function ensureBuilt(): Promise<boolean>;
