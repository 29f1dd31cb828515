import factory from '@adonisjs/lucid/factories'
import Contract from '#models/contract'
import { ContractorFactory } from '#database/factories/contractor_factory'

/**
 * A contract stored directly, as one registered before the rules of SaveContract were
 * enforced (give `systemId`; makeContract of tests/register_helpers saves through the use case).
 */
export const ContractFactory = factory
  .define(Contract, ({ faker }) => ({
    title: `テスト委託${faker.string.numeric(4)}`,
    reason: '理由',
    tasks: [],
    periodType: 'fixed' as const,
    media: [],
    mediaDetails: {},
    wardMeasuresOperational: [],
    wardMeasuresSystem: [],
    contractorMeasuresOperational: [],
    contractorMeasuresSystem: [],
    itemsLayout: 'comma' as const,
    startsOnPrecision: 'day' as const,
    handlesPersonalData: true,
    status: 'draft' as const,
    deletionCertificateDays: 30,
  }))
  .state('active', (contract) => {
    contract.status = 'active'
  })
  /** A subcontract waiting for the ward's approval (give `parentContractId`). */
  .state('pendingSubcontract', (contract) => {
    contract.status = 'pending_approval'
  })
  .relation('contractor', () => ContractorFactory)
  .build()
