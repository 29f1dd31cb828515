import type Contract from '#models/contract'
import type { ItemsLayout } from '#enums/contracts'
import type { ItemDirection } from '#enums/register'
import WardCalendar from '#services/ward_calendar'
import { jaText } from '#services/ja_text'

/** What an open period says after its start date when no note was written. */
const OPEN_PERIOD_NOTES: Record<string, string> = {
  open_ended: '（以降継続）',
  renewed_yearly: '（以降、毎年度評価のうえ更新）',
}

/** Non-blank lines of a multi-line text, as typed. */
export const textLines = (text: string | null | undefined) =>
  (text ?? '').split(/\r?\n/).filter((line) => line.trim() !== '')

/** 'name（note）'; a note written with its own brackets is appended as written. */
export function withNote(name: string, note: string | null | undefined): string {
  const trimmed = note?.trim()
  if (!trimmed) return name
  return /^[（(［\[【〔]/.test(trimmed) ? `${name}${trimmed}` : `${name}（${trimmed}）`
}

/**
 * Item names grouped under their headings in the order given: a group is a run of items with the
 * same heading (null = no group). 'comma' joins a group's items with 、 on one line (after `lead`,
 * e.g. '2 記録する個人情報の項目'), 'lines' puts one item per line, 'bullets' one '・item' per line;
 * a group's heading line comes first.
 */
export function groupedItemLines(
  items: Array<{ name: string; note: string | null; groupHeading: string | null }>,
  layout: string,
  lead: string | null = null
): string[] {
  const groups: Array<{ heading: string | null; names: string[] }> = []
  for (const item of items) {
    const heading = item.groupHeading?.trim() || null
    const current = groups[groups.length - 1]
    if (!current || heading !== current.heading) groups.push({ heading, names: [] })
    groups[groups.length - 1].names.push(withNote(item.name, item.note))
  }
  const lines: string[] = []
  let pendingLead = lead
  for (const group of groups) {
    if (group.heading) {
      if (pendingLead) lines.push(pendingLead)
      pendingLead = null
      lines.push(group.heading)
    }
    if (layout === 'comma') {
      lines.push([pendingLead, group.names.join('、')].filter(Boolean).join(' '))
    } else {
      if (pendingLead) lines.push(pendingLead)
      lines.push(...group.names.map((name) => (layout === 'bullets' ? `・${name}` : name)))
    }
    pendingLead = null
  }
  if (pendingLead) lines.push(pendingLead)
  return lines
}

/** A ticked item of a contract as the wording reads it (a ContractDataItem with its data item). */
export interface ItemLinkWording {
  id: number
  direction: ItemDirection
  sortOrder: number
  groupHeading: string | null
  note: string | null
  dataItem: { name: string }
}

/**
 * A contract's wording as the council document prints it (the council
 * document builder prints the same from the same fields): the contractor or
 * the text written in its place, the items grouped under their headings, the
 * media with their detail, and the period with its lead and note around the
 * dates.
 */
export default class ContractWording {
  /** The contractor's name, or while undecided the text written in its place (未定 when none). */
  static contractor(contract: {
    contractor: { name: string } | null
    undecidedNote: string | null
  }): string {
    return (
      contract.contractor?.name ??
      (contract.undecidedNote?.trim() || jaText('register.contracts.undecided'))
    )
  }

  /**
   * The ticked items of one direction in print order. A contract stores a group's heading on its
   * first item only (null continues the group above).
   */
  static itemLines(
    links: ItemLinkWording[],
    direction: ItemDirection,
    layout: ItemsLayout
  ): string[] {
    const ordered = links
      .filter((link) => link.direction === direction)
      .sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id)
    let heading: string | null = null
    const items = ordered.map((link) => {
      heading = link.groupHeading?.trim() || heading
      return { name: link.dataItem.name, note: link.note, groupHeading: heading }
    })
    return groupedItemLines(items, layout)
  }

  /**
   * The 情報項目 row of a contract annex: whose data (as written), the items the contractor
   * collects, then those the ward provides (each in its groups), then the text written after them.
   */
  static itemsRow(
    contract: Pick<Contract, 'subjectsText' | 'itemsNote' | 'itemsLayout'> & {
      itemLinks: ItemLinkWording[]
    }
  ): string[] {
    const lines = (direction: ItemDirection) =>
      ContractWording.itemLines(contract.itemLinks, direction, contract.itemsLayout)
    return [
      ...textLines(contract.subjectsText),
      ...lines('collected'),
      ...lines('provided'),
      ...textLines(contract.itemsNote),
    ]
  }

  /** 電磁的媒体（USBメモリ（暗号化））、紙 */
  static media(contract: Pick<Contract, 'media' | 'mediaDetails'>): string {
    return contract.media
      .map((medium) =>
        withNote(jaText(`register.media.${medium}`), contract.mediaDetails?.[medium])
      )
      .join('、')
  }

  /** [lead][start]から[end]まで[note]: the dates always print; lead and note are around them. */
  static period(
    contract: Pick<
      Contract,
      'periodLead' | 'periodNote' | 'periodType' | 'startsOn' | 'startsOnPrecision' | 'endsOn'
    >
  ): string {
    const start = contract.startsOn
      ? `${contract.startsOnPrecision === 'month' ? WardCalendar.formatEraMonth(contract.startsOn) : WardCalendar.formatEra(contract.startsOn)}から`
      : ''
    const end =
      contract.periodType === 'fixed' && contract.endsOn
        ? `${WardCalendar.formatEra(contract.endsOn)}まで`
        : ''
    const note =
      contract.periodNote?.trim() ||
      (contract.startsOn ? (OPEN_PERIOD_NOTES[contract.periodType] ?? '') : '')
    return `${contract.periodLead?.trim() ?? ''}${start}${end}${note}`
  }
}
