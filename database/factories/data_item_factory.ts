import { DateTime } from 'luxon'
import factory from '@adonisjs/lucid/factories'
import DataItem from '#models/data_item'

/** A data item of a system (give `systemId`, or create it through PersonalDataSystemFactory.with('dataItems')). */
export const DataItemFactory = factory
  .define(DataItem, ({ faker }) => ({
    name: `項目${faker.string.numeric(4)}`,
    sortOrder: 0,
  }))
  /** 要配慮個人情報: 病歴. */
  .state('specialCare', (item) => {
    item.specialCareCategory = 'medical_history'
  })
  /** A prohibited category (思想・信条・宗教) whose collection the council approved. */
  .state('prohibitedApproved', (item) => {
    item.prohibitedCategory = 'thought_creed_religion'
    item.prohibitedApprovedOn = DateTime.fromISO('2026-04-10')
    item.prohibitedApprovedBy = '情報公開・個人情報保護審議会'
  })
  .build()
