import factory from '@adonisjs/lucid/factories'
import Department from '#models/department'

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
  .build()
