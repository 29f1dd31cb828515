import {
  addCaption,
  annexMarker,
  clauseRows,
  coverRows,
  isOverviewHeading,
  isTermsTitle,
  looksLikeCaption,
  startsSubject,
  type ClauseLine,
} from '#services/council/compare/blocks'
import { isElision, stripMarkdownLine } from '#services/council/compare/normalize'
import { labelVocabulary, matchLabel, type DocumentRow } from '#services/council/compare/rows'

/**
 * Parses a reference council document in text form into rows. Two forms exist:
 *
 *  (a) markdown-ish (seeds 000, 004): `label<TAB>value` lines whose value may hold HTML;
 *      '## 事業の概要' starts the overview, '## 件名 …' starts an annex, '# 特記事項' the
 *      special terms with '## (heading)' / '**(heading)**' lines, clause lines ('- 1 …' or
 *      '11 …'), sub-items '  - (1) …', and a clause may continue on a following line;
 *      attachments ('# 付属資料1' and what follows it up to the next first-level heading) are skipped.
 *  (b) plain text extracted from a PDF (seed 001): one printed fragment per line, labels
 *      possibly spread over several lines before their value ('保有課' / '(担当課)'), values
 *      wrapped mid-sentence. Labels are recognised from the known vocabulary (rows.ts) plus
 *      `extraLabels` (the labels of the PDF being compared); a value runs up to the next label.
 */
export function parseReference(text: string, extraLabels: string[] = []): DocumentRow[] {
  return isMarkdownForm(text) ? parseMarkdownForm(text) : parsePlainForm(text, extraLabels)
}

/** Form (a) has `label<TAB>value` lines or markdown headings. */
export function isMarkdownForm(text: string): boolean {
  return /^[^\t\n]+\t/m.test(text) || /^#{1,2}\s/m.test(text)
}

/** Attachments after the document proper (付属資料1, 参考資料, 添付資料, 別添). */
const ATTACHMENT = /^(?:付属資料|附属資料|参考資料|添付資料|別添)/u

/** A page number printed on its own line: '- 3 -', '－３－', '3/8'. */
const PAGE_NUMBER = /^[-－‐―–]\s*[0-9０-９]+\s*[-－‐―–]$|^[0-9０-９]+\s*\/\s*[0-9０-９]+$/u

function lines(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\f/g, '\n')
    .split('\n')
    .map((line) => line.replace(/\s+$/u, ''))
    .map((line) => (PAGE_NUMBER.test(line.trim()) ? '' : line))
}

/** Form (a): markdown-ish with tab-separated rows. */
function parseMarkdownForm(text: string): DocumentRow[] {
  const rows: DocumentRow[] = []
  const cover: string[] = []
  type Mode = 'cover' | 'table' | 'terms' | 'skip'
  let mode: Mode = 'cover'
  let section = '表紙'
  let annexCount = 0
  let termsCount = 0
  let terms: ClauseLine[] = []
  let pendingCaptions: string[] = []
  let lastRow: DocumentRow | null = null
  const all = lines(text)

  const flushCover = () => {
    if (cover.length > 0) rows.push(...coverRows(cover.map((line) => line.normalize('NFKC'))))
    cover.length = 0
  }
  const flushTerms = () => {
    if (terms.length > 0) rows.push(...clauseRows(terms, section))
    terms = []
  }
  const leave = () => {
    if (mode === 'cover') flushCover()
    if (mode === 'terms') flushTerms()
    // Loose lines that no 件名 followed stay where they were printed.
    for (const caption of pendingCaptions) addCaption(rows, caption, section)
    pendingCaptions = []
  }
  const startAnnex = (subject: string) => {
    const captions = pendingCaptions
    pendingCaptions = []
    leave()
    pendingCaptions = captions
    annexCount++
    section = `別紙${annexCount}`
    for (const caption of pendingCaptions) addCaption(rows, caption, section)
    pendingCaptions = []
    rows.push({ kind: 'subject', label: '件名', value: subject, section })
    mode = 'table'
    lastRow = null
  }

  for (const raw of all) {
    const trimmed = raw.trim()
    if (trimmed === '' || isElision(trimmed)) continue
    const clean = stripMarkdownLine(raw).trim()
    if (/^-{3,}(\t-+)*$/u.test(trimmed.replace(/\s/g, '')) || /^[-|:\s]+\t[-|:\s]+$/u.test(trimmed))
      continue

    const level1 = /^#\s/u.test(trimmed)
    const level2 = /^##\s/u.test(trimmed)

    if (
      (level1 || level2 || mode !== 'terms') &&
      isTermsTitle(trimmed) &&
      !trimmed.includes('\t')
    ) {
      leave()
      termsCount++
      section = `特記事項${termsCount}`
      mode = 'terms'
      continue
    }
    if (level2 && /^##\s*件名/u.test(trimmed)) {
      startAnnex(trimmed.replace(/^##\s*件名\s*/u, ''))
      continue
    }
    if (mode !== 'terms' && isOverviewHeading(clean)) {
      leave()
      section = '事業の概要'
      mode = 'table'
      lastRow = null
      continue
    }
    if ((level1 || level2) && ATTACHMENT.test(clean)) {
      // An attachment (付属資料1: an image and its title): not part of the compared rows.
      leave()
      mode = 'skip'
      continue
    }
    if (level1 && mode === 'skip') mode = 'table' // a first-level heading ends the attachment
    if (mode === 'skip') continue

    if (mode === 'terms' && (annexMarker(clean) || looksLikeCaption(clean))) {
      // The next annex's captions (its '## 件名' follows).
      leave()
      mode = 'table'
      lastRow = null
    }
    if (mode === 'terms') {
      terms.push({ text: clean.normalize('NFKC') })
      continue
    }

    if (mode === 'cover') {
      if (raw.includes('\t')) {
        const [label, ...value] = raw.split('\t')
        cover.push(`${stripMarkdownLine(label).trim()} ${value.join(' ').trim()}`)
      } else {
        cover.push(clean)
      }
      continue
    }

    // mode === 'table'
    if (raw.includes('\t')) {
      const [label, ...value] = raw.split('\t')
      const key = stripMarkdownLine(label).trim()
      if (key.replace(/\s/g, '') === '件名') {
        startAnnex(value.join(' ').trim())
        continue
      }
      lastRow = { kind: 'row', label: key, value: value.join('\t').trim(), section }
      rows.push(lastRow)
      continue
    }
    if (annexMarker(clean) || looksLikeCaption(clean) || !lastRow) {
      const marker = annexMarker(clean)
      if (marker && marker.caption === null) continue
      pendingCaptions.push(clean)
      continue
    }
    lastRow.value += `\n${clean}`
  }
  leave()
  return rows
}

/** Form (b): plain text extraction, labels found by vocabulary. */
function parsePlainForm(text: string, extraLabels: string[]): DocumentRow[] {
  const vocabulary = labelVocabulary(extraLabels)
  const fragments = lines(text)
    .map((line) => line.normalize('NFKC').trim())
    .filter((line) => line !== '' && !isElision(line))

  const rows: DocumentRow[] = []
  type Mode = 'cover' | 'table' | 'captions' | 'terms'
  let mode: Mode = 'cover'
  let section = '表紙'
  let annexCount = 0
  let termsCount = 0
  let cover: string[] = []
  let terms: ClauseLine[] = []
  let current: DocumentRow | null = null
  let used = new Set<string>()
  let subjectSeen = false

  const leave = () => {
    if (mode === 'cover') rows.push(...coverRows(cover))
    if (mode === 'terms') rows.push(...clauseRows(terms, section))
    cover = []
    terms = []
  }
  const openAnnex = () => {
    leave()
    annexCount++
    section = `別紙${annexCount}`
    mode = 'captions'
    current = null
    used = new Set()
  }
  /** A ◇ line is a caption when (after other captions) an annex 件名 follows. */
  const captionBlockAt = (index: number) => {
    let next = index
    while (
      next < fragments.length &&
      (looksLikeCaption(fragments[next]) || annexMarker(fragments[next]))
    )
      next++
    return next < fragments.length && startsSubject(fragments, next)
  }

  for (let index = 0; index < fragments.length; index++) {
    const fragment = fragments[index]

    if (isTermsTitle(fragment)) {
      leave()
      termsCount++
      section = `特記事項${termsCount}`
      mode = 'terms'
      current = null
      continue
    }
    if (isOverviewHeading(fragment) && mode !== 'terms') {
      leave()
      section = '事業の概要'
      mode = 'table'
      current = null
      used = new Set()
      continue
    }
    const marker = annexMarker(fragment)
    if (marker || (looksLikeCaption(fragment) && captionBlockAt(index))) {
      // (openAnnex() sets 'captions'; the cast keeps TypeScript from narrowing it away.)
      if ((mode as Mode) !== 'captions') openAnnex()
      if (!marker || marker.caption !== null) addCaption(rows, fragment, section)
      continue
    }

    if (mode === 'cover') {
      if (startsSubject(fragments, index) && subjectSeen) {
        openAnnex()
      } else {
        if (startsSubject(fragments, index)) subjectSeen = true
        cover.push(fragment)
        continue
      }
    }

    if (mode === 'terms') {
      const subject = startsSubject(fragments, index)
        ? matchLabel(fragments, index, ['件名'])
        : null
      if (!subject) {
        terms.push({ text: fragment })
        continue
      }
      openAnnex()
    }

    // table or captions: a label starts a row, anything else continues the current row.
    const subject = matchLabel(fragments, index, ['件名'])
    if (subject) {
      if (mode === 'table' && (section === '事業の概要' || used.size > 0)) openAnnex()
      mode = 'table'
      current = { kind: 'subject', label: '件名', value: subject.rest, section }
      rows.push(current)
      used.add('件名')
      index = subject.last
      continue
    }
    const match = matchLabel(fragments, index, vocabulary)
    if (match && !used.has(match.label)) {
      mode = 'table'
      used.add(match.label)
      current = { kind: 'row', label: match.written, value: match.rest, section }
      rows.push(current)
      index = match.last
      continue
    }
    if ((mode as Mode) === 'captions' || !current) {
      addCaption(rows, fragment, section)
      continue
    }
    current.value += current.value ? `\n${fragment}` : fragment
  }
  leave()
  return rows
}
