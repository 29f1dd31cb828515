/**
 * Query-string filters without the empty values of a submitted filter form
 * (an unselected <select> sends "", which optional rules would reject).
 */
export function filledQueryString(qs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(qs).filter(([, value]) => value !== '' && value !== null && value !== undefined)
  )
}
