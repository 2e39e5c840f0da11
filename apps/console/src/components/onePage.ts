import type { Page } from './PagedTable';

/** A whole list the API answers at once (not cursor-paged), as PagedTable's one and only page. */
export const onePage = <T>(items: T[]): Page<T> => ({ items, next: null });
