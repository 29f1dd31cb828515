/**
 * Contracts as written (issue 12): how a contract's items print and how
 * precisely its start is written.
 */

/** 'comma': ID、氏名 on one line · 'lines': one item per line · 'bullets': ・氏名 per line. */
export const ITEMS_LAYOUTS = ['comma', 'lines', 'bullets'] as const
export type ItemsLayout = (typeof ITEMS_LAYOUTS)[number]

/** 'day': 平成20年3月3日 · 'month': 平成25年6月 (a start written to the month). */
export const STARTS_ON_PRECISIONS = ['day', 'month'] as const
export type StartsOnPrecision = (typeof STARTS_ON_PRECISIONS)[number]
