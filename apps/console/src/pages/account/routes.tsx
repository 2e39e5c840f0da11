import type { AreaRoute } from '../area';

/** The account pages. */
export const accountRoutes: AreaRoute[] = [];
