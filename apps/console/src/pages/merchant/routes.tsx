import type { AreaRoute } from '../area';

/** The merchant pages. */
export const merchantRoutes: AreaRoute[] = [];
