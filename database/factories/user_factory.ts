import factory from '@adonisjs/lucid/factories'
import User from '#models/user'
import { DepartmentFactory } from '#database/factories/department_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'

/** Password of every factory-made account. */
export const TEST_PASSWORD = 'correct-horse-battery'

export const UserFactory = factory
  .define(User, ({ faker }) => ({
    email: faker.internet.email().toLowerCase(),
    fullName: 'テスト 職員',
    password: TEST_PASSWORD,
    role: 'department_staff' as const,
    locale: 'ja',
    isActive: true,
    isDemo: false,
    failedLoginCount: 0,
  }))
  .state('admin', (user) => (user.role = 'admin'))
  .state('privacyOfficer', (user) => (user.role = 'privacy_officer'))
  .state('supervisor', (user) => (user.role = 'supervisor'))
  .state('operator', (user) => (user.role = 'operator'))
  .state('contractor', (user) => (user.role = 'contractor'))
  .state('demo', (user) => (user.isDemo = true))
  .state('inactive', (user) => (user.isActive = false))
  .relation('department', () => DepartmentFactory)
  .relation('contractor', () => ContractorFactory)
  .build()
