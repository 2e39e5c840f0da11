import type { AreaRoute } from '../area';

/** The regulator pages. */
export const regulatorRoutes: AreaRoute[] = [];
