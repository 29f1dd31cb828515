import { normalise } from '#services/council/compare/normalize'
import type { DocumentRow } from '#services/council/compare/rows'
import { parse as parseClauses } from '#services/register/special_terms_text'
import { EXTRA_ROW_FIRST } from '#services/council/template_rows'
import type { TemplateKind, NumberingStyle } from '#enums/document_template'
import type { CouncilKind } from '#enums/council'
import type {
  DraftAnnex,
  DraftAnnexWording,
  DraftClause,
  DraftContract,
  DraftDataItem,
  DraftRemark,
  ImportDraft,
} from '#services/council/import/import_draft'
import type {
  ReaderMatches,
  ReaderTemplates,
  Reading,
  RowPlacement,
} from '#services/council/import/draft_builder'
import ContractCells from '#services/council/import/contract_cells'
import {
  entries,
  itemWithNote,
  leadingNumber,
  paragraphs,
  splitOutsideBrackets,
} from '#services/council/import/written_text'

const BASIS_KINDS: Record<string, CouncilKind> = {
  諮問: 'consultation',
  報告: 'report',
  事前報告: 'prior_report',
}

/** A row label → its template key, by what the label says (any wording of the ward's documents). */
const KEY_PATTERNS: Array<[RegExp, string]> = [
  [/^保有課|^保有部課|^担当課/u, 'holder_department'],
  [/^登録業務の名称|^業務の名称/u, 'system_name'],
  [/^記録される情報項目|^記録する情報項目/u, 'recorded_items'],
  [/開発等を委託/u, 'development_measures'],
  [/^新規開発.*理由|^変更の理由|^追加.*理由/u, 'change_reason'],
  [/^新規開発.*内容|^変更の内容|^追加.*内容/u, 'change_content'],
  [/^新規開発.*時期|^変更の時期|^追加.*時期/u, 'change_schedule'],
  [/^再委託先$|^再受託者$/u, 'subcontractor'],
  [/^再委託の承認/u, 'subcontract_approval'],
  [/^委託先$|^受託者$|^受託事業者$|^委託事業者$/u, 'contractor'],
  [/記録媒体/u, 'media'],
  [/情報項目|処理させる項目|提供する項目|収集する項目/u, 'data_items'],
  [/^(?:再)?委託(?:の|する)?理由/u, 'reason'],
  [/^(?:再)?委託(?:の|する)?内容|^(?:再)?委託業務の内容/u, 'content'],
  [/開始時期|委託期間|期限/u, 'period'],
  [/区が(?:行う|講ずる)/u, 'ward_measures'],
  [/(?:受託事業者|受託者|再委託先|委託先)に(?:行わせる|講じさせる)/u, 'contractor_measures'],
]

const OVERVIEW_PATTERNS: Array<[RegExp, string]> = [
  [/^事業名|^業務名/u, 'business_name'],
  [/^担当課|^担当部課|^所管課/u, 'department'],
  [/^目的/u, 'purpose'],
  [/^対象者|^対象/u, 'subjects'],
  [/^事業内容|^事業の内容|^概要/u, 'description'],
]

function keyOf(label: string, patterns: Array<[RegExp, string]>, allowed: string[]): string | null {
  const text = normalise(label).replace(/[（(][^）)]*[)）]$/u, '')
  for (const [pattern, key] of patterns) {
    if (allowed.includes(key) && pattern.test(text)) return key
  }
  return null
}

/**
 * One reading of a council document's rows into an ImportDraft, section by section: the cover,
 * 事業の概要, every 別紙 and every 特記事項 set, then the department and the system's items.
 * A contract annex's cells are read by ContractCells; what cannot be read is remarked on.
 */
export default class DraftReading {
  readonly #placements = new Map<DocumentRow, RowPlacement>()
  readonly #texts = new Map<DocumentRow, string>()
  #departmentParent: string | null = null
  readonly #remarks: DraftRemark[] = []
  readonly #draft: ImportDraft
  readonly #cells: ContractCells

  constructor(
    private rows: DocumentRow[],
    /** A PDF extraction: a cell's lines are wrapped, not paragraphs. */
    private wrapped: boolean,
    private matches: ReaderMatches,
    private templates: ReaderTemplates
  ) {
    this.#draft = {
      item: {
        subject: '',
        documentNumber: null,
        basis: [],
        departmentLabel: null,
        contactSection: null,
        contactPerson: null,
        contactExtension: null,
        extraRows: [],
      },
      department: { name: '', id: null },
      system: {
        name: '',
        businessName: null,
        purpose: '',
        subjectsSummary: null,
        subjectGroups: [],
        dataItems: [],
        recordingComputer: null,
        media: ['electronic'],
        description: null,
        changeReason: null,
        changeContent: null,
        developmentMeasures: null,
        changeSchedule: null,
      },
      annexes: [],
      termSets: [],
      remarks: this.#remarks,
    }
    this.#cells = new ContractCells(wrapped, matches, (section, message, data) =>
      this.#remark(section, message, data)
    )
  }

  read(): Reading {
    const sections = new Map<string, DocumentRow[]>()
    for (const row of this.rows) {
      const list = sections.get(row.section) ?? []
      list.push(row)
      sections.set(row.section, list)
    }
    /** Department names as written: 担当課 of the overview, 担当部課 of the contact, 保有課 of the annexes. */
    const departmentNames: string[] = []
    let contactDepartment: string | null = null
    let overviewDepartment: string | null = null

    for (const [section, rows] of sections) {
      if (section === '表紙') contactDepartment = this.#cover(rows)
      else if (section === '事業の概要') overviewDepartment = this.#overview(rows)
      else if (section.startsWith('別紙')) this.#annex(section, rows)
      else if (section.startsWith('特記事項')) this.#terms(section, rows)
    }
    for (const annex of this.#draft.annexes) {
      const holder = this.#holderWritten.get(annex)
      if (holder) departmentNames.push(holder)
    }
    this.#department(overviewDepartment, contactDepartment, departmentNames)
    this.#systemItemsFromContracts()
    if (!this.#draft.system.name) {
      this.#draft.system.name = this.#draft.system.businessName ?? this.#draft.item.subject
      this.#draft.system.businessName = null
    }
    if (!this.#draft.system.purpose) {
      this.#draft.system.purpose = this.#draft.item.subject
      this.#remark('事業の概要', 'purpose_missing')
    }
    if (!this.#draft.item.subject) {
      this.#draft.item.subject = this.#draft.annexes[0]?.wording.subject ?? this.#draft.system.name
      this.#remark('表紙', 'subject_missing')
    }
    return {
      draft: this.#draft,
      departmentParent: this.#departmentParent,
      texts: this.#texts,
      rows: this.rows,
      placements: this.#placements,
    }
  }

  #remark(section: string, message: string, data?: Record<string, string | number>) {
    this.#remarks.push({ section, message, ...(data ? { data } : {}) })
  }

  /** Text of a cell as the register keeps it: paragraphs separated by \n. */
  #text(value: string): string {
    return paragraphs(value, this.wrapped).join('\n')
  }

  /** 表紙: 資料 line, 件名, 【区分】 with their articles, the contact. Returns 担当部課 as written. */
  #cover(rows: DocumentRow[]): string | null {
    const item = this.#draft.item
    let kind: CouncilKind | null = null
    let contactDepartment: string | null = null
    for (const row of rows) {
      const value = row.value.replace(/\n/g, ' ').trim()
      if (row.kind === 'subject') {
        if (!item.subject) item.subject = this.#text(row.value).replace(/\n/g, '')
        continue
      }
      switch (row.label) {
        case '資料':
          item.documentNumber = value
          break
        case '区分': {
          const written = value.replace(/^【|】$/gu, '').replace(/[\s\u3000]/gu, '')
          kind = BASIS_KINDS[written] ?? null
          if (!kind) this.#remark('表紙', 'basis_kind_unknown', { kind: value })
          break
        }
        case '条項': {
          if (!kind) {
            this.#remark('表紙', 'basis_without_kind', { article: value })
            kind = 'report'
          }
          const entry = item.basis.find((basis) => basis.kind === kind)
          const article = row.value.replace(/\n/g, '').trim()
          if (entry) entry.articles.push(article)
          else item.basis.push({ kind, articles: [article] })
          break
        }
        case '担当部課':
          contactDepartment = this.#contact(row.value)
          break
        case '表題':
        case '内容':
        case '条例の根拠':
          break
        default:
          this.#remark('表紙', 'cover_line_unused', { text: value.slice(0, 60) })
      }
    }
    return contactDepartment
  }

  /** （担当部課：…） 担当係 … 担当者 … 内線（…） */
  #contact(value: string): string | null {
    const text = value.replace(/\n/g, ' ')
    const department =
      text.match(/担当部課[：:][\s\u3000]*([^）)]*?)[\s\u3000]*[）)]/u)?.[1] ?? null
    const section = text.match(/担当係[\s\u3000]*(.*?)[\s\u3000]*(?=担当者|内線|$)/u)?.[1]
    const person = text.match(/担当者[\s\u3000]*(.*?)[\s\u3000]*(?=内線|$)/u)?.[1]
    const extension = text.match(/内線[\s\u3000]*[（(][\s\u3000]*(.*?)[\s\u3000]*[）)]/u)?.[1]
    const item = this.#draft.item
    item.contactSection = section?.trim() || null
    item.contactPerson = person?.trim() || null
    item.contactExtension = extension?.trim() || null
    if (!item.contactSection && !item.contactPerson && !item.contactExtension) {
      // The builder prints the contact only when one of them is given.
      this.#remark('表紙', 'contact_unread')
    }
    return department?.trim() || null
  }

  /** 事業の概要. Returns 担当課 as written. */
  #overview(rows: DocumentRow[]): string | null {
    const system = this.#draft.system
    const allowed = this.templates.overview.rows.map((row) => row.key)
    let department: string | null = null
    let previous = EXTRA_ROW_FIRST
    const seen = new Set<string>()
    for (const row of rows) {
      if (row.kind !== 'row') continue
      const key = keyOf(row.label, OVERVIEW_PATTERNS, allowed)
      if (!key || seen.has(key) || !this.#inOrder(allowed, seen, key)) {
        this.#draft.item.extraRows.push({
          label: row.label,
          value: this.#text(row.value),
          after: previous,
        })
        this.#placements.set(row, {
          annex: -1,
          key: `extra:${this.#draft.item.extraRows.length - 1}`,
        })
        continue
      }
      seen.add(key)
      previous = key
      this.#placements.set(row, { annex: -1, key })
      const text = this.#text(row.value)
      switch (key) {
        case 'business_name':
          system.businessName = text.replace(/\n/g, '')
          break
        case 'department':
          department = text.replace(/\n/g, '')
          break
        case 'purpose':
          system.purpose = text
          break
        case 'subjects':
          system.subjectsSummary = text
          break
        case 'description':
          system.description = text
          break
      }
    }
    return department
  }

  /** Whether `key` comes after every key already seen, in template order. */
  #inOrder(order: string[], seen: Set<string>, key: string): boolean {
    const at = order.indexOf(key)
    return [...seen].every((done) => order.indexOf(done) < at)
  }

  readonly #holderWritten = new Map<DraftAnnex, string>()

  /** One 別紙: captions, 件名, then the rows of a system, contract or subcontract table. */
  #annex(section: string, rows: DocumentRow[]) {
    const tableRows = rows.filter((row) => row.kind === 'row')
    const labels = tableRows.map((row) => normalise(row.label))
    const isSubcontract = labels.some((label) => /^再委託先$|^再受託者$/u.test(label))
    const isContract =
      isSubcontract ||
      labels.some((label) =>
        /^委託先$|^受託者$|^受託事業者$|^委託事業者$|^委託理由|^委託の内容/u.test(label)
      )
    const kind: TemplateKind = isSubcontract
      ? 'subcontract_annex'
      : isContract
        ? 'contract_annex'
        : 'system_annex'
    const wording: DraftAnnexWording = {
      captions: rows
        .filter((row) => row.kind === 'caption')
        .flatMap((row) => row.value.split('\n'))
        .map((line) => line.trim())
        .filter(Boolean),
      subject: null,
      holderLabel: null,
      rowOverrides: {},
      extraRows: [],
    }
    const subject = rows.find((row) => row.kind === 'subject')
    const subjectText = subject ? subject.value.replace(/\n/g, '').trim() : ''
    const index = this.#draft.annexes.length
    let annex: DraftAnnex
    if (kind === 'system_annex') {
      annex = { kind: 'system', wording }
      wording.subject = subjectText || null
    } else {
      const contract = this.#newContract(subjectText || this.#draft.item.subject)
      if (kind === 'subcontract_annex') {
        const parent = [...this.#draft.annexes.keys()]
          .reverse()
          .find(
            (at) =>
              this.#draft.annexes[at].kind === 'contract' &&
              (this.#draft.annexes[at] as { contract: DraftContract }).contract.parentAnnex === null
          )
        if (parent === undefined) this.#remark(section, 'subcontract_without_contract')
        contract.parentAnnex = parent ?? null
      }
      annex = { kind: 'contract', wording, contract }
    }
    this.#draft.annexes.push(annex)

    const template = this.templates[kind]
    const allowed = template.rows.map((row) => row.key)
    const seen = new Set<string>()
    let previous = EXTRA_ROW_FIRST
    for (const row of tableRows) {
      const key = keyOf(row.label, KEY_PATTERNS, allowed)
      if (!key || seen.has(key) || !this.#inOrder(allowed, seen, key)) {
        wording.extraRows.push({ label: row.label, value: this.#text(row.value), after: previous })
        this.#placements.set(row, { annex: index, key: `extra:${wording.extraRows.length - 1}` })
        if (key) this.#remark(section, 'row_kept_as_written', { label: row.label })
        continue
      }
      seen.add(key)
      previous = key
      this.#placements.set(row, { annex: index, key })
      this.#texts.set(row, this.#text(row.value))
      const templateRow = template.rows.find((candidate) => candidate.key === key)!
      if (normalise(templateRow.label) !== normalise(row.label)) {
        wording.rowOverrides[key] = { label: row.label.replace(/\n/g, '') }
      }
      const read =
        annex.kind === 'system'
          ? this.#systemRow(section, key, row, annex)
          : this.#contractRow(section, key, row, annex, template.numbering)
      if (!read) {
        // Kept as written: the template's row hidden, the cell printed as an extra row in its place.
        wording.rowOverrides[key] = { hidden: true }
        wording.extraRows.push({ label: row.label, value: this.#text(row.value), after: key })
        this.#placements.set(row, { annex: index, key: `extra:${wording.extraRows.length - 1}` })
      }
    }
    // Rows the template prints that this document does not have.
    for (const templateRow of template.rows) {
      if (seen.has(templateRow.key)) continue
      if (templateRow.always || ['media'].includes(templateRow.key)) {
        wording.rowOverrides[templateRow.key] = { hidden: true }
      }
    }
  }

  #newContract(title: string): DraftContract {
    return {
      title,
      parentAnnex: null,
      contractor: null,
      undecidedNote: null,
      selectionMethod: null,
      reason: '',
      tasks: [],
      subjectsText: null,
      items: [],
      itemsLayout: 'comma',
      itemsNote: null,
      periodType: 'fixed',
      periodLead: null,
      startsOn: null,
      startsOnPrecision: 'day',
      endsOn: null,
      periodNote: null,
      media: [],
      mediaDetails: {},
      wardMeasures: [],
      contractorMeasures: [],
      termSet: null,
      approvedOn: null,
      approvedBy: null,
    }
  }

  /** Reads one row of a system annex; false when it cannot be read into fields. */
  #systemRow(section: string, key: string, row: DocumentRow, annex: DraftAnnex): boolean {
    const system = this.#draft.system
    const text = this.#text(row.value)
    switch (key) {
      case 'holder_department':
        this.#holderWritten.set(annex, text.replace(/\n/g, ''))
        break
      case 'system_name':
        system.name = text.replace(/\n/g, '')
        break
      case 'recorded_items':
        return this.#recordedItems(section, row.value)
      case 'change_reason':
        system.changeReason = text
        break
      case 'change_content':
        system.changeContent = text
        break
      case 'development_measures':
        system.developmentMeasures = text
        break
      case 'change_schedule':
        system.changeSchedule = text
        break
    }
    return true
  }

  /**
   * 記録される情報項目: '1 個人の範囲' with ①② groups, '2 記録する個人情報の項目' with the
   * items, '3 記録するコンピュータ' with the computer.
   */
  #recordedItems(section: string, value: string): boolean {
    const system = this.#draft.system
    const template = this.templates.system_annex
    const heads = [template.parts.subjects, template.parts.items, template.parts.computer]
    const lines = entries(value, this.wrapped)
    /** Which part each line opens: 0, 1, 2 or -1 (continues). */
    const partOf = (line: string) => {
      const number = leadingNumber(line)
      if (!number) return -1
      const rest = normalise(number.rest)
      return heads.findIndex(
        (head, at) => number.number === at + 1 && rest.startsWith(normalise(head))
      )
    }
    const parts: string[][] = [[], [], []]
    let current = -1
    for (const line of lines) {
      const part = partOf(line)
      if (part >= 0) {
        current = part
        const number = leadingNumber(line)!
        const rest = number.rest.trim().slice(heads[part].length).trim()
        if (rest) parts[part].push(rest)
        continue
      }
      if (current < 0) break
      parts[current].push(line)
    }
    if (current < 0) {
      this.#remark(section, 'recorded_items_unread')
      return false
    }
    system.subjectGroups = parts[0].map((line) => {
      const number = leadingNumber(line)
      return number && /^[\u2460-\u2473]/u.test(line.trim()) ? number.rest.trim() : line
    })
    system.dataItems = this.#itemList(parts[1].join('、'))
    system.recordingComputer = parts[2].join('\n') || null
    return true
  }

  /** Items written '氏名、住所（必要な場合のみ）' with 【heading】 lines between groups. */
  #itemList(text: string): DraftDataItem[] {
    const items: DraftDataItem[] = []
    let heading: string | null = null
    for (const part of splitOutsideBrackets(text)) {
      const bracketed = part.match(/^(【[^】]*】)(.*)$/u)
      if (bracketed) {
        heading = bracketed[1]
        if (bracketed[2].trim())
          items.push({ ...itemWithNote(bracketed[2]), groupHeading: heading })
        continue
      }
      items.push({ ...itemWithNote(part), groupHeading: heading })
    }
    return items
  }

  #contractRow(
    section: string,
    key: string,
    row: DocumentRow,
    annex: Extract<DraftAnnex, { kind: 'contract' }>,
    numbering: NumberingStyle
  ): boolean {
    const contract = annex.contract
    const text = this.#text(row.value)
    const flat = text.replace(/\n/g, '')
    const isSubcontract = contract.parentAnnex !== null
    // The party's and the items' remarks name the annex by its number in the draft (別紙n),
    // not by its section as written.
    const annexSection = `別紙${this.#draft.annexes.length}`
    switch (key) {
      case 'holder_department':
        this.#holderWritten.set(annex, flat)
        break
      case 'system_name':
        if (!this.#draft.system.name) this.#draft.system.name = flat
        break
      case 'contractor':
        if (!isSubcontract) this.#cells.party(annexSection, contract, flat)
        break
      case 'subcontractor':
        this.#cells.party(annexSection, contract, flat)
        break
      case 'subcontract_approval':
        return this.#cells.approval(section, contract, flat)
      case 'data_items':
        this.#cells.items(annexSection, contract, row)
        break
      case 'media':
        return this.#cells.media(section, contract, flat)
      case 'reason':
        contract.reason = text
        break
      case 'content':
        contract.tasks = this.#cells.blocks(row.value, numbering)
        break
      case 'period':
        this.#cells.period(section, contract, flat)
        break
      case 'ward_measures':
        contract.wardMeasures = this.#cells.measures(row.value, numbering)
        break
      case 'contractor_measures':
        contract.contractorMeasures = this.#cells.measures(row.value, numbering)
        break
    }
    return true
  }

  /** 特記事項: the clauses of the set, attached to the contracts printed before it. */
  #terms(section: string, rows: DocumentRow[]) {
    const lines: string[] = []
    for (const row of rows) {
      if (row.kind !== 'clause') continue
      if (row.label) lines.push(row.label)
      if (row.value) lines.push(row.value)
    }
    const parsed = parseClauses(lines.join('\n'))
    if (parsed.clauses.length === 0) {
      this.#remark(section, 'terms_unread')
      return
    }
    const clauses: DraftClause[] = parsed.clauses.map((clause) => ({
      number: clause.number,
      numberLabel: clause.numberLabel || null,
      heading: clause.heading,
      body: clause.body,
      items: clause.items,
    }))
    const index = this.#draft.termSets.length
    const attached = this.#draft.annexes.filter(
      (annex): annex is Extract<DraftAnnex, { kind: 'contract' }> =>
        annex.kind === 'contract' && annex.contract.termSet === null
    )
    if (attached.length === 0) this.#remark(section, 'terms_without_contract')
    for (const annex of attached) annex.contract.termSet = index
    const forSubcontracts =
      attached.length > 0 && attached.every((annex) => annex.contract.parentAnnex !== null)
    const match = this.matches.termSet(clauses)
    this.#draft.termSets.push({
      name: match?.name ?? `特記事項（${this.#draft.item.subject || this.#draft.system.name}）`,
      appliesTo: forSubcontracts ? 'subcontractor' : 'contractor',
      clauses,
      match,
    })
  }

  /** 担当課: matched by the names the document gives (保有課 first: it is the department itself). */
  #department(overview: string | null, contact: string | null, holders: string[]) {
    const candidates = [...holders, overview, contact].filter(
      (name): name is string => !!name && name.trim() !== ''
    )
    let chosen: { name: string; id: number | null; printedName: string } | null = null
    for (const name of candidates) {
      const match = this.matches.department(name)
      if (match) {
        this.#departmentParent = match.parentName ?? null
        chosen = {
          name: match.name,
          id: match.id,
          printedName: `${match.parentName ?? ''}${match.name}`,
        }
        break
      }
    }
    if (!chosen) {
      // The fullest name: confirming places the new unit under the one its name starts with.
      const fullest = [...candidates].sort((a, b) => b.length - a.length)[0] ?? ''
      chosen = { name: fullest, id: null, printedName: fullest }
      if (fullest) this.#remark('事業の概要', 'department_new', { name: fullest })
      else this.#remark('事業の概要', 'department_missing')
    }
    this.#draft.department = { name: chosen.name, id: chosen.id }
    const written = overview ?? contact
    const item = this.#draft.item
    item.departmentLabel =
      written && normalise(written) !== normalise(chosen.printedName) ? written : null
    for (const annex of this.#draft.annexes) {
      const holder = this.#holderWritten.get(annex)
      annex.wording.holderLabel =
        holder && normalise(holder) !== normalise(chosen.name) ? holder : null
    }
  }

  /** A contract's items are items of the system: the system's list gets those it lacks. */
  #systemItemsFromContracts() {
    const system = this.#draft.system
    const keyOfItem = (item: { name: string; note: string | null }) =>
      `${normalise(item.name)}\u0000${normalise(item.note ?? '')}`
    /** How many items of each name and note the system has: a contract may list one twice (氏名 of two groups). */
    const known = new Map<string, number>()
    for (const item of system.dataItems)
      known.set(keyOfItem(item), (known.get(keyOfItem(item)) ?? 0) + 1)
    for (const annex of this.#draft.annexes) {
      if (annex.kind !== 'contract') continue
      const listed = new Map<string, number>()
      for (const item of annex.contract.items) {
        const key = `${item.direction}\u0000${keyOfItem(item)}`
        const count = (listed.get(key) ?? 0) + 1
        listed.set(key, count)
        if (count <= (known.get(keyOfItem(item)) ?? 0)) continue
        known.set(keyOfItem(item), count)
        system.dataItems.push({ name: item.name, note: item.note, groupHeading: item.groupHeading })
      }
    }
  }
}
