/** 部 > 課 > 係 */
export const DEPARTMENT_LEVELS = ['bu', 'ka', 'kakari'] as const

export type DepartmentLevel = (typeof DEPARTMENT_LEVELS)[number]

/** The level a child of a department of the given level must have. */
export const CHILD_LEVEL: Record<DepartmentLevel, DepartmentLevel | null> = {
  bu: 'ka',
  ka: 'kakari',
  kakari: null,
}
