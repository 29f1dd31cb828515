import factory from '@adonisjs/lucid/factories'
import Department from '#models/department'

/** A 課 by default; `bu` for a 部, `kakari` for a 係 (give it a parentId). */
export const DepartmentFactory = factory
  .define(Department, ({ faker }) => ({
    code: `d${faker.string.alphanumeric(8).toLowerCase()}`,
    name: `${faker.string.alpha(4)}課`,
    level: 'ka' as const,
    parentId: null,
    sortOrder: 0,
  }))
  .state('bu', (department) => {
    department.level = 'bu'
    department.name = department.name.replace(/課$/, '部')
  })
  .state('kakari', (department) => {
    department.level = 'kakari'
    department.name = department.name.replace(/課$/, '係')
  })
  .build()
