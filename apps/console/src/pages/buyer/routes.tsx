import type { AreaRoute } from '../area';

/** The buyer pages. */
export const buyerRoutes: AreaRoute[] = [];
