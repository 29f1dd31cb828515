/**
 * Roles of ward staff and contractor users (guard "web"). Citizens are a
 * separate account type (model Citizen, guard "citizen").
 */
export const ROLES = [
  'admin',
  'privacy_officer',
  'department_staff',
  'supervisor',
  'contractor',
  'operator',
] as const

export type Role = (typeof ROLES)[number]

/** Roles that see every department's records. */
export const ORGANISATION_WIDE_ROLES: readonly Role[] = ['admin', 'privacy_officer']

/** Roles of ward employees (everyone but contractor users). */
export const WARD_ROLES: readonly Role[] = ROLES.filter((role) => role !== 'contractor')
