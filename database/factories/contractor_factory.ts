import { DateTime } from 'luxon'
import factory from '@adonisjs/lucid/factories'
import Contractor from '#models/contractor'

export const ContractorFactory = factory
  .define(Contractor, ({ faker }) => ({
    name: `株式会社${faker.string.alpha(5)}`,
    corporateNumber: null,
    address: '東京都新宿区（テスト）',
  }))
  .state('privacyMarkValid', (contractor) => {
    contractor.privacyMarkNumber = '10820001(03)'
    contractor.privacyMarkExpiresOn = DateTime.now().plus({ years: 1 }).startOf('day')
  })
  .state('privacyMarkExpiring', (contractor) => {
    contractor.privacyMarkNumber = '10820002(04)'
    contractor.privacyMarkExpiresOn = DateTime.now().plus({ days: 30 }).startOf('day')
  })
  .state('privacyMarkExpired', (contractor) => {
    contractor.privacyMarkNumber = '10820003(05)'
    contractor.privacyMarkExpiresOn = DateTime.now().minus({ days: 1 }).startOf('day')
  })
  .build()
