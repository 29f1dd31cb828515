import factory from '@adonisjs/lucid/factories'
import CouncilItem from '#models/council_item'
import { CouncilItemAnnexFactory } from '#database/factories/council_item_annex_factory'

/** A draft item reported under 第14条第1項 (merge `departmentId`, and the `subject` as the test reads it). */
export const CouncilItemFactory = factory
  .define(CouncilItem, () => ({
    subject: '区民意見システムについて',
    basis: [{ kind: 'report' as const, articles: ['第14条第1項'] }],
    status: 'draft' as const,
  }))
  /** Consulted (諮問) under 第16条第1項本文. */
  .state('consultation', (item) => {
    item.basis = [{ kind: 'consultation', articles: ['第16条第1項本文'] }]
  })
  .relation('annexes', () => CouncilItemAnnexFactory)
  .build()
