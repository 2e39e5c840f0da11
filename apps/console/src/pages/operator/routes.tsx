import type { AreaRoute } from '../area';

/** The operator pages. */
export const operatorRoutes: AreaRoute[] = [];
