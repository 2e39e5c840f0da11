import type { AreaRoute } from '../area';

/** The contracts pages, shared by merchants and buyers. */
export const contractsRoutes: AreaRoute[] = [];
