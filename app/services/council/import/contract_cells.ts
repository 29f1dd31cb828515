import { normalise } from '#services/council/compare/normalize'
import type { DocumentRow } from '#services/council/compare/rows'
import CorporateNumber from '#services/register/corporate_number'
import TemplateRows from '#services/council/template_rows'
import type { NumberingStyle } from '#enums/document_template'
import type { RecordMedium, SelectionMethod } from '#enums/register'
import type {
  DraftContract,
  DraftContractItem,
  DraftDataItem,
  DraftParty,
} from '#services/council/import/import_draft'
import type { ReaderMatches } from '#services/council/import/draft_builder'
import {
  entries,
  itemWithNote,
  leadingNumber,
  paragraphs,
  splitOutsideBrackets,
  withoutNumbers,
  writtenDates,
} from '#services/council/import/written_text'

/** Passes a remark back to the reading, which keeps them in the order they are made. */
export type CellRemark = (
  section: string,
  message: string,
  data?: Record<string, string | number>
) => void

const UNDECIDED =
  /未定|予定|により決定|により選定|決定した|選定した|入札|プロポーザル|随意契約|随契|公募/u

function selectionMethodOf(text: string): SelectionMethod {
  if (/特命|随意契約|随契/u.test(text)) return 'tokumei'
  if (/入札/u.test(text)) return 'nyusatsu'
  if (/プロポーザル|企画提案|企画競争/u.test(text)) return 'proposal'
  return 'other'
}

const MEDIA_WORDS: Array<[RegExp, RecordMedium]> = [
  [/^紙/u, 'paper'],
  [/^(?:電磁的|電子|磁気)/u, 'electronic'],
  [/^USB|^ＵＳＢ/u, 'usb'],
  [/^クラウド/u, 'cloud'],
]

/**
 * Whether a list entry's number is written as the template numbers (then the register keeps the
 * entry without it and the template prints it again): '1 ' for halfwidth, not '1.' or '１．'.
 */
function isTemplateMarker(marker: string, number: number, numbering: NumberingStyle): boolean {
  const written = marker.replace(/[\s\u3000]+$/u, '')
  const printed = TemplateRows.marker(number, numbering).replace(/[\s\u3000]+$/u, '')
  return written !== '' && written === printed
}

/** A group's heading alone on its line: 【申請者】. */
const GROUP_HEADING_LINE = /^[\s\u3000]*【[^】]*】[\s\u3000]*$/u

/**
 * A line listing items ('氏名、住所（必要な場合のみ）'), with the heading written in front of
 * it ('【申請者】氏名、…', or a table row's first cell: '所有者<TAB>氏名、…'); null for a
 * sentence or a line of one item.
 */
function listOf(line: string): { heading: string | null; items: string } | null {
  let heading: string | null = null
  let items = line.trim()
  const bracketed = items.match(/^(【[^】]*】)[\s\u3000]*(.+)$/u)
  const cells = items.split('\t')
  if (bracketed) {
    heading = bracketed[1]
    items = bracketed[2]
  } else if (cells.length === 2 && cells[0].trim() !== '' && !/[、。]/u.test(cells[0])) {
    heading = cells[0].trim()
    items = cells[1].trim()
  }
  const parts = splitOutsideBrackets(items)
  const isList =
    parts.length >= 2 && parts.every((part) => part.length <= 30 && !/[。\t]/u.test(part))
  return isList ? { heading, items } : null
}

const CORPORATE_NUMBER = /法人番号[：:\s\u3000]*([0-9０-９]{13})/u

/**
 * How a contract annex's cells are read into its DraftContract: the contractor (or the text
 * printed while undecided), the items, the media, the task blocks, the measures, the period and
 * the subcontract's approval. What cannot be read is passed back as a remark.
 */
export default class ContractCells {
  constructor(
    /** A PDF extraction: a cell's lines are wrapped, not paragraphs. */
    private wrapped: boolean,
    private matches: Pick<ReaderMatches, 'contractor'>,
    private remark: CellRemark
  ) {}

  /** Text of a cell as the register keeps it: paragraphs separated by \n. */
  #text(value: string): string {
    return paragraphs(value, this.wrapped).join('\n')
  }

  /** 再委託の承認: the date and, in brackets, who approved it. */
  approval(section: string, contract: DraftContract, written: string): boolean {
    const [date] = writtenDates(written)
    const by = written.match(/[（(]([^（）()]+)[)）]\s*$/u)?.[1] ?? null
    if (date && by) {
      contract.approvedOn = date.iso
      contract.approvedBy = by
      return true
    }
    this.remark(section, 'approval_unread', { text: written })
    return false
  }

  /** 委託先: a contractor's name, or the text printed in its place while undecided. */
  party(section: string, contract: DraftContract, written: string) {
    let corporateNumber = written.match(CORPORATE_NUMBER)?.[1]?.normalize('NFKC') ?? null
    if (corporateNumber !== null && !CorporateNumber.isValid(corporateNumber)) {
      // A mistyped 法人番号 would refuse the confirmation: the officer checks it instead.
      this.remark(section, 'corporate_number_invalid', {
        number: corporateNumber,
      })
      corporateNumber = null
    }
    const name = written
      .replace(CORPORATE_NUMBER, '')
      .replace(/[（(]\s*[)）]/gu, '')
      .trim()
    if (UNDECIDED.test(written) || name === '') {
      contract.undecidedNote = written
      contract.selectionMethod = selectionMethodOf(written)
      return
    }
    const match = this.matches.contractor(name, corporateNumber)
    const party: DraftParty = { name, id: match?.id ?? null, corporateNumber }
    if (match && corporateNumber === null) party.name = match.name
    contract.contractor = party
  }

  /**
   * The 情報項目 cell of a contract: whose data (lines before the items), the items (a line of
   * items separated by 、, a run of ・ lines, or a numbered heading whose rest lists them), then
   * the text after them.
   */
  items(section: string, contract: DraftContract, row: DocumentRow) {
    const lines = entries(row.value, false).flatMap((entry) => entry.split('\n'))
    const joinedLines = this.wrapped ? paragraphs(row.value, true) : lines
    const direction = /収集/u.test(normalise(row.label)) ? 'collected' : 'provided'
    contract.items = []
    const setItems = (items: DraftDataItem[]) => {
      contract.items = items.map((item): DraftContractItem => ({ ...item, direction }))
    }

    // ・ bullets (one item per line)
    const firstBullet = joinedLines.findIndex((line) => /^[・･]/u.test(line))
    if (firstBullet >= 0) {
      let end = firstBullet
      while (end < joinedLines.length && /^[・･]/u.test(joinedLines[end])) end++
      contract.subjectsText = joinedLines.slice(0, firstBullet).join('\n') || null
      setItems(
        joinedLines
          .slice(firstBullet, end)
          .map((line) => ({ ...itemWithNote(line), groupHeading: null }))
      )
      contract.itemsLayout = 'bullets'
      contract.itemsNote = joinedLines.slice(end).join('\n') || null
      return
    }
    // A numbered heading that names the items ('2 処理を依頼する個人情報の項目 メールアドレス …')
    const headed = joinedLines.findIndex((line) => {
      const number = leadingNumber(line)
      return number !== null && /^[^、。]*項目/u.test(number.rest)
    })
    if (headed >= 0) {
      const line = joinedLines[headed]
      const at = line.indexOf('項目') + 2
      const heading = line.slice(0, at).trim()
      const rest = line.slice(at).trim()
      const following: string[] = []
      let end = headed + 1
      if (rest === '') {
        while (end < joinedLines.length && !leadingNumber(joinedLines[end])) {
          following.push(joinedLines[end])
          end++
        }
      }
      const byComma = splitOutsideBrackets(rest)
      const names = rest
        ? byComma.length > 1
          ? byComma
          : splitOutsideBrackets(rest, true)
        : following.flatMap((entry) => splitOutsideBrackets(entry))
      if (names.length > 0) {
        contract.subjectsText = joinedLines.slice(0, headed).join('\n') || null
        setItems(
          names.map((name) => ({
            ...itemWithNote(name),
            groupHeading: heading,
          }))
        )
        contract.itemsLayout = 'lines'
        contract.itemsNote = joinedLines.slice(end).join('\n') || null
        return
      }
    }
    // Lines of items separated by 、, each group possibly under a heading: a 【…】 line above it,
    // 【…】 in front of it, or the first cell of a table row ('所有者<TAB>氏名、住所').
    const listed = joinedLines.findIndex((line) => listOf(line) !== null)
    if (listed >= 0) {
      let start = listed
      while (start > 0 && GROUP_HEADING_LINE.test(joinedLines[start - 1])) start--
      let end = listed
      while (
        end < joinedLines.length &&
        (listOf(joinedLines[end]) !== null ||
          (GROUP_HEADING_LINE.test(joinedLines[end]) &&
            end + 1 < joinedLines.length &&
            listOf(joinedLines[end + 1]) !== null))
      )
        end++
      const items: DraftDataItem[] = []
      let heading: string | null = null
      for (const line of joinedLines.slice(start, end)) {
        if (GROUP_HEADING_LINE.test(line)) {
          heading = line.trim()
          continue
        }
        const list = listOf(line)!
        if (list.heading !== null) heading = list.heading
        items.push(
          ...splitOutsideBrackets(list.items).map((part) => ({
            ...itemWithNote(part),
            groupHeading: heading,
          }))
        )
      }
      contract.subjectsText = joinedLines.slice(0, start).join('\n') || null
      setItems(items)
      contract.itemsLayout = 'comma'
      contract.itemsNote = joinedLines.slice(end).join('\n') || null
      return
    }
    contract.subjectsText = joinedLines.join('\n') || null
    this.remark(section, 'items_unread')
  }

  /** 電磁的媒体、紙（保存期間1年） */
  media(section: string, contract: DraftContract, written: string): boolean {
    const media: RecordMedium[] = []
    const details: Partial<Record<RecordMedium, string>> = {}
    for (const part of splitOutsideBrackets(written)) {
      const { name, note } = itemWithNote(part)
      const medium = MEDIA_WORDS.find(([pattern]) => pattern.test(name))?.[1]
      if (!medium || media.includes(medium)) {
        this.remark(section, 'media_unread', { text: written })
        contract.media = []
        return false
      }
      media.push(medium)
      if (note) details[medium] = note
    }
    contract.media = media
    contract.mediaDetails = details
    return true
  }

  /** 委託の内容: numbered blocks (1 …, 2 …) without their numbers, or one block as written. */
  blocks(value: string, numbering: NumberingStyle): string[] {
    const list = entries(value, this.wrapped)
    const starts = list.filter((entry) => {
      const number = leadingNumber(entry)
      return number !== null && isTemplateMarker(number.marker, number.number, numbering)
    })
    if (starts.length >= 2) {
      const blocks: string[][] = []
      let expected = 1
      for (const entry of list) {
        const number = leadingNumber(entry)
        if (number && number.number === expected) {
          blocks.push([number.rest.trim()])
          expected++
        } else if (blocks.length > 0) {
          blocks[blocks.length - 1].push(entry)
        } else {
          return [list.join('\n')]
        }
      }
      return blocks.map((block) => block.join('\n'))
    }
    return [this.#text(value)]
  }

  /** Measures: numbered in the template's style → without numbers; otherwise as written. */
  measures(value: string, numbering: NumberingStyle): string[] {
    const list = entries(value, this.wrapped)
    if (list.length <= 1) return list
    const stripped = withoutNumbers(list)
    if (
      stripped &&
      list.every((entry, at) => isTemplateMarker(leadingNumber(entry)!.marker, at + 1, numbering))
    ) {
      return stripped
    }
    return list
  }

  /** [lead]平成25年6月から平成26年3月31日まで[note], or from a date on (以降継続). */
  period(section: string, contract: DraftContract, written: string) {
    const dates = writtenDates(written)
    const keep = () => {
      contract.periodType = 'fixed'
      contract.periodLead = written
      contract.startsOn = null
      contract.endsOn = null
      contract.periodNote = null
      this.remark(section, 'period_unread', { text: written })
    }
    // No start date: '契約締結日から令和7年3月31日まで', '令和6年度から毎年度更新'. The start as
    // written is the lead (the register prints no date of its own before the end date).
    const until = written.match(/^(.*?から)[\s\u3000]*(.*)$/u)
    const startDate = dates[0]
    if (until && (!startDate || startDate.index >= until[1].length)) {
      const lead = until[1].trim()
      const rest = until[2]
      const [end] = writtenDates(rest)
      const after = end ? rest.slice(end.index + end.length).match(/^[\s\u3000]*まで/u) : null
      contract.startsOn = null
      contract.periodLead = lead
      if (end && end.index === 0 && end.precision === 'day' && after) {
        contract.periodType = 'fixed'
        contract.endsOn = end.iso
        contract.periodNote = rest.slice(end.length + after[0].length).trim() || null
        return
      }
      if (end) return keep()
      contract.periodType = /毎年度|更新/u.test(rest) ? 'renewed_yearly' : 'open_ended'
      contract.endsOn = null
      contract.periodNote = rest.trim() || null
      return
    }
    if (dates.length === 0) return keep()
    const start = dates[0]
    const lead = written.slice(0, start.index).trim()
    let rest = written.slice(start.index + start.length)
    const from = rest.match(/^[\s\u3000]*から/u)
    if (!from) return keep()
    rest = rest.slice(from[0].length)
    contract.periodLead = lead || null
    contract.startsOn = start.iso
    contract.startsOnPrecision = start.precision
    const end = dates[1]
    const endOffset = end ? end.index - (start.index + start.length + from[0].length) : -1
    if (
      end &&
      endOffset >= 0 &&
      rest.slice(0, endOffset).trim() === '' &&
      end.precision === 'day'
    ) {
      const after = rest.slice(endOffset + end.length).match(/^[\s\u3000]*まで/u)
      if (after) {
        contract.periodType = 'fixed'
        contract.endsOn = end.iso
        contract.periodNote = rest.slice(endOffset + end.length + after[0].length).trim() || null
        return
      }
    }
    if (end) return keep()
    contract.periodType = /毎年度|更新/u.test(rest) ? 'renewed_yearly' : 'open_ended'
    contract.endsOn = null
    contract.periodNote = rest.trim() || null
  }
}
