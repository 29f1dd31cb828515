import factory from '@adonisjs/lucid/factories'
import Contractor from '#models/contractor'

export const ContractorFactory = factory
  .define(Contractor, ({ faker }) => ({
    name: `株式会社${faker.string.alpha(5)}`,
    corporateNumber: null,
    address: '東京都新宿区（テスト）',
  }))
  .build()
