import factory from '@adonisjs/lucid/factories'
import CouncilItemAnnex from '#models/council_item_annex'

/** An annex on the system itself, first in its item (merge `itemId` and `systemId`; a `contractId` makes it a contract's). */
export const CouncilItemAnnexFactory = factory
  .define(CouncilItemAnnex, () => ({
    contractId: null,
    sortOrder: 0,
  }))
  .build()
