import factory from '@adonisjs/lucid/factories'
import PersonalDataSystem from '#models/personal_data_system'
import { DepartmentFactory } from '#database/factories/department_factory'
import { DataItemFactory } from '#database/factories/data_item_factory'

/**
 * A registered system stored directly (no version recorded: use makeSystem of
 * tests/register_helpers for one saved through the use case).
 */
export const PersonalDataSystemFactory = factory
  .define(PersonalDataSystem, ({ faker }) => ({
    name: `テスト業務システム${faker.string.numeric(4)}`,
    purpose: '区民からの申請を処理する。',
    media: ['electronic' as const],
    lifecycle: 'operating' as const,
    fileType: 'computer' as const,
    publishedInFileRegister: false,
    version: 1,
  }))
  .state('planned', (system) => {
    system.lifecycle = 'planned'
  })
  .state('published', (system) => {
    system.publishedInFileRegister = true
  })
  .relation('department', () => DepartmentFactory)
  .relation('dataItems', () => DataItemFactory)
  .build()
