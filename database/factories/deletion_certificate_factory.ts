import { DateTime } from 'luxon'
import { randomUUID } from 'node:crypto'
import factory from '@adonisjs/lucid/factories'
import DeletionCertificate from '#models/deletion_certificate'

/** A submitted deletion certificate; merge `contractId` (and `erasedOn` to the contract's end). */
export const DeletionCertificateFactory = factory
  .define(DeletionCertificate, () => ({
    method: 'physical_destruction' as const,
    media: ['サーバ'],
    erasedOn: DateTime.now().minus({ days: 1 }).startOf('day'),
    notes: null,
    storageKey: `deletion-certificates/${randomUUID()}.pdf`,
    originalName: 'certificate.pdf',
    size: 1024,
    status: 'submitted' as const,
  }))
  .state('verified', (certificate) => {
    certificate.status = 'verified'
    certificate.reviewedOn = DateTime.now().startOf('day')
  })
  .state('rejected', (certificate) => {
    certificate.status = 'rejected'
    certificate.reviewedOn = DateTime.now().startOf('day')
    certificate.rejectionReason = '消去方法の記載が不足しています。'
  })
  .build()
