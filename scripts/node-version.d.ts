export function requiredNodeMajor(engines?: { node?: string }): number;
export function nodeVersionProblem(version: string, requiredMajor: number): string | null;
export function exitUnlessSupportedNode(): void;
