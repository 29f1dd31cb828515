import { inject } from '@adonisjs/core'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { Infer } from '@vinejs/vine/types'
import DataItem from '#models/data_item'
import SubjectGroup from '#models/subject_group'
import SystemSnapshots from '#services/register/system_snapshot'
import AuditLogger from '#services/audit_logger'
import type User from '#models/user'
import DataItemUses from '#services/register/data_item_uses'
import type { dataItemValidator } from '#validators/register/data_items'
import DomainError from '#exceptions/domain_error'
import { jaText } from '#services/ja_text'

export type DataItemInput = Infer<typeof dataItemValidator>

/**
 * Adds or changes a data item. An item in a prohibited collection category
 * (思想・信条・宗教 / 社会的差別 / 犯罪) is refused unless the approval that
 * allows collecting it is recorded (date and approver). Refusals are DomainErrors.
 */
@inject()
export default class SaveDataItem {
  constructor(private auditLog: AuditLogger) {}

  async handle(
    item: DataItem,
    systemId: number,
    input: DataItemInput,
    user: User
  ): Promise<DataItem> {
    if (input.prohibitedCategory && (!input.prohibitedApprovedOn || !input.prohibitedApprovedBy)) {
      throw new DomainError('register.items.prohibited_needs_approval', {
        field: 'prohibitedApprovedOn',
      })
    }
    if (input.subjectGroupId) {
      const group = await SubjectGroup.query()
        .where('id', input.subjectGroupId)
        .where('systemId', systemId)
        .first()
      if (!group) throw new DomainError('register.items.unknown_group', { field: 'subjectGroupId' })
    }
    const isNew = !item.$isPersisted
    await db.transaction(async (trx) => {
      item.useTransaction(trx)
      // A new item goes after the others (the bulk table numbers them 1, 2, 3 …).
      const last =
        isNew && input.sortOrder === undefined
          ? await DataItem.query({ client: trx })
              .where('systemId', systemId)
              .max('sort_order as last')
              .first()
          : null
      item.merge({
        systemId,
        name: input.name,
        groupHeading: input.groupHeading ?? null,
        note: input.note ?? null,
        subjectGroupId: input.subjectGroupId ?? null,
        specialCareCategory: input.specialCareCategory ?? null,
        prohibitedCategory: input.prohibitedCategory ?? null,
        prohibitedApprovedOn:
          input.prohibitedCategory && input.prohibitedApprovedOn
            ? DateTime.fromJSDate(input.prohibitedApprovedOn)
            : null,
        prohibitedApprovedBy: input.prohibitedCategory
          ? (input.prohibitedApprovedBy ?? null)
          : null,
        prohibitedApprovalReference: input.prohibitedCategory
          ? (input.prohibitedApprovalReference ?? null)
          : null,
        sortOrder:
          input.sortOrder ?? (last ? Number(last.$extras.last ?? 0) + 1 : (item.sortOrder ?? 0)),
      })
      const changedFields = Object.keys(item.$dirty)
      await item.save()
      await SystemSnapshots.record(
        systemId,
        jaText(isNew ? 'register.changes.data_item_added' : 'register.changes.data_item_changed', {
          name: item.name,
        }),
        user.id,
        trx
      )
      await this.auditLog.record(
        { action: isNew ? 'data_item.create' : 'data_item.update', subject: item, changedFields },
        trx
      )
    })
    return item
  }

  /**
   * Removes a data item and records a version; refused while a contract lists
   * the item (the contract would lose it silently: take it off the contract first), on
   * the item's page (nothing typed to keep).
   */
  async remove(item: DataItem, user: User): Promise<void> {
    const uses = await DataItemUses.contracts([item.id])
    const contracts = uses.get(item.id)
    if (contracts) {
      throw new DomainError('data_items.bulk.used_by_contract', {
        field: 'remove',
        data: {
          name: item.name,
          contracts: contracts.map((use) => ({
            key: use.subcontract
              ? 'data_items.bulk.subcontract_label'
              : 'data_items.bulk.contract_label',
            data: { title: use.title },
          })),
        },
        keepInput: false,
        redirectTo: { route: 'data_items.edit', params: { systemId: item.systemId, id: item.id } },
      })
    }
    await db.transaction(async (trx) => {
      item.useTransaction(trx)
      await item.delete()
      await SystemSnapshots.record(
        item.systemId,
        jaText('register.changes.data_item_removed', { name: item.name }),
        user.id,
        trx
      )
      await this.auditLog.record({ action: 'data_item.delete', subject: item }, trx)
    })
  }
}
