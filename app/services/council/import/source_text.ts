import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { readFile, stat, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, extname, join } from 'node:path'
import { promisify } from 'node:util'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import iconv from 'iconv-lite'
import mammoth from 'mammoth'
import DomainError from '#exceptions/domain_error'
import { PDFTOTEXT_ARGS } from '#services/council/compare/compare'

/**
 * The text of a council document to import (取込み元), from what the officer gives:
 *
 *  - pasted text: kept as written (line ends made \n, a BOM removed);
 *  - a text file (.txt): UTF-8, else UTF-16 with its BOM, else Shift_JIS (CP932), the encodings
 *    Japanese offices save text in; nothing else is changed (no NFKC: the draft builder does
 *    what it needs);
 *  - a PDF: its text layer by poppler's `pdftotext` with the arguments of the round-trip
 *    comparison (compare.ts PDFTOTEXT_ARGS), so an imported PDF reads as the generated one does.
 *    Pages stay separated by form feeds (\f), as parsePdfText expects;
 *  - a Word file (.docx): mammoth's HTML turned into the markdown-ish form of the seeds
 *    (reference_parser.ts form (a)): headings → '# ' / '## ', paragraphs → lines, a table row
 *    with two cells or more → 'label<TAB>value' where a value of several paragraphs or list
 *    items keeps them as <p>…</p> / <li>…</li> on the one line, a one-cell row → its lines.
 *
 * Whatever cannot be read is refused with a DomainError on the field 'file' (a Japanese message
 * under council_imports.source.*), never a 500: an empty file, another type, a file over 20 MB,
 * a name that does not match the content, a broken PDF or .docx, a password-protected PDF, a
 * PDF without text (a scan), a text file in no known encoding.
 */

export type SourceKind = 'text' | 'pdf' | 'docx'

export interface SourceText {
  kind: SourceKind
  /** The file's name as given (null for pasted text). */
  name: string | null
  text: string
}

/** The largest file read (the multipart limit of config/bodyparser.ts). */
export const MAX_SOURCE_BYTES = 20 * 1024 * 1024

/** pdftotext may run this long on one file. */
const PDFTOTEXT_TIMEOUT_MS = 60_000

/** A PDF whose text layer has fewer letters or digits than this has no text (a scan). */
const MIN_PDF_LETTERS = 20

const EXTENSIONS: Record<string, SourceKind> = {
  '.txt': 'text',
  '.text': 'text',
  '.md': 'text',
  '.pdf': 'pdf',
  '.docx': 'docx',
}

const MIME_TYPES: Record<string, SourceKind> = {
  'text/plain': 'text',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
}

const KIND_NAMES: Record<SourceKind, string> = {
  text: 'テキスト',
  pdf: 'PDF',
  docx: 'Word(.docx)',
}

const refuse = (key: string, options: { field?: string; data?: Record<string, unknown> } = {}) =>
  new DomainError(`council_imports.source.${key}`, {
    field: options.field ?? 'file',
    data: options.data,
    status: key === 'too_large' ? 413 : undefined,
  })

interface Source {
  buffer: Buffer
  name: string
  /** The content type the client sent, used only when the name has no extension. */
  mimeType?: string | null
  /** Where the bytes already are on disk (pdftotext reads the file itself). */
  path?: string
}

export default class SourceTextReader {
  /** Pasted text; refused (field 'text') when there is nothing but white space. */
  static fromPaste(text: string | null | undefined): SourceText {
    const clean = normaliseLineEnds((text ?? '').replace(/^\uFEFF/, ''))
    if (clean.trim() === '') throw refuse('empty_text', { field: 'text' })
    return { kind: 'text', name: null, text: clean }
  }

  /** An uploaded file (request.file('file')); refused on the field 'file'. */
  static async fromUpload(file: MultipartFile | null | undefined): Promise<SourceText> {
    if (!file) throw refuse('missing')
    if (file.size > MAX_SOURCE_BYTES || file.errors.some((error) => error.type === 'size')) {
      throw refuse('too_large')
    }
    if (!file.tmpPath) throw refuse('missing')
    const mimeType = file.type && file.subtype ? `${file.type}/${file.subtype}` : null
    return SourceTextReader.read({
      buffer: await readFile(file.tmpPath),
      name: file.clientName,
      mimeType,
      path: file.tmpPath,
    })
  }

  /** A file on disk (tests, commands); `name` defaults to the file's own name. */
  static async fromPath(path: string, name?: string): Promise<SourceText> {
    const info = await stat(path)
    if (info.size > MAX_SOURCE_BYTES) throw refuse('too_large')
    return SourceTextReader.read({
      buffer: await readFile(path),
      name: name ?? basename(path),
      path,
    })
  }

  /** Bytes with the name they were given (fromUpload and tests). */
  static async fromBuffer(
    buffer: Buffer,
    name: string,
    mimeType?: string | null
  ): Promise<SourceText> {
    return SourceTextReader.read({ buffer, name, mimeType })
  }

  private static async read(source: Source): Promise<SourceText> {
    const { buffer, name } = source
    if (buffer.length === 0) throw refuse('empty_file')
    if (buffer.length > MAX_SOURCE_BYTES) throw refuse('too_large')

    const kind = SourceTextReader.kindOf(source)
    const extension = extname(name).toLowerCase() || KIND_NAMES[kind]
    const pdf = isPdf(buffer)
    const zip = isZip(buffer)
    if ((kind === 'pdf' && !pdf) || (kind === 'docx' && pdf) || (kind === 'text' && (pdf || zip)))
      throw refuse('type_mismatch', { data: { extension } })

    let text: string
    if (kind === 'pdf') text = await SourceTextReader.pdfText(source)
    else if (kind === 'docx') text = await SourceTextReader.docxText(buffer, zip)
    else text = decodeText(buffer)

    text = normaliseLineEnds(text)
    if (text.trim() === '') throw refuse('empty_file')
    return { kind, name, text }
  }

  /** By the name's extension; by the content type (or the content) when there is none. */
  private static kindOf({ buffer, name, mimeType }: Source): SourceKind {
    const extension = extname(name).toLowerCase()
    if (extension) {
      const kind = EXTENSIONS[extension]
      if (!kind) throw refuse('unsupported_type', { data: { extension } })
      return kind
    }
    const byMime = mimeType ? MIME_TYPES[mimeType.toLowerCase()] : undefined
    if (byMime) return byMime
    if (isPdf(buffer)) return 'pdf'
    if (isZip(buffer)) return 'docx'
    if (mimeType && !mimeType.startsWith('text/') && mimeType !== 'application/octet-stream')
      throw refuse('unsupported_type', { data: { extension: mimeType } })
    return 'text'
  }

  /** `pdftotext -layout` on the file (written to a temporary file when it is not on disk). */
  private static async pdfText(source: Source): Promise<string> {
    let path = source.path
    let temporary: string | null = null
    if (!path) {
      temporary = join(tmpdir(), `daicho-import-${randomUUID()}.pdf`)
      await writeFile(temporary, source.buffer)
      path = temporary
    }
    try {
      const { stdout } = await promisify(execFile)('pdftotext', [...PDFTOTEXT_ARGS, path, '-'], {
        maxBuffer: 64 * 1024 * 1024,
        timeout: PDFTOTEXT_TIMEOUT_MS,
        encoding: 'utf8',
      })
      const letters = stdout.match(/[\p{L}\p{N}]/gu)?.length ?? 0
      if (letters < MIN_PDF_LETTERS) throw refuse('pdf_without_text')
      return stdout
    } catch (error: any) {
      if (error instanceof DomainError) throw error
      if (error?.code === 'ENOENT') throw refuse('pdftotext_missing')
      if (error?.killed || error?.signal) throw refuse('pdf_timeout')
      if (/password|encrypt/i.test(String(error?.stderr ?? ''))) throw refuse('pdf_encrypted')
      throw refuse('broken_pdf')
    } finally {
      if (temporary) await unlink(temporary).catch(() => {})
    }
  }

  /** mammoth's HTML of the .docx in the markdown-ish form of the seeds. */
  private static async docxText(buffer: Buffer, zip: boolean): Promise<string> {
    if (!zip) throw refuse('broken_docx')
    let html: string
    try {
      // Images (付属資料) are no text: give them no data URI.
      const result = await mammoth.convertToHtml(
        { buffer },
        { convertImage: mammoth.images.imgElement(async () => ({ src: '' })) }
      )
      html = result.value
    } catch {
      throw refuse('broken_docx')
    }
    return htmlToReferenceText(html)
  }
}

// ---------------------------------------------------------------------------------------------
// Bytes

/** `%PDF-` within the first KB (pdftotext allows leading bytes). */
function isPdf(buffer: Buffer): boolean {
  return buffer.subarray(0, 1024).includes('%PDF-')
}

/** A zip archive (a .docx is one): `PK\x03\x04`. */
function isZip(buffer: Buffer): boolean {
  return buffer.length >= 4 && buffer.readUInt32BE(0) === 0x504b0304
}

function normaliseLineEnds(text: string): string {
  return text.replace(/\r\n?/g, '\n')
}

/** Whether `text` has a control character no text file has (tab, LF, FF and CR are text). */
function hasBinary(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d) return true
  }
  return false
}

/**
 * A text file's bytes as text: UTF-8 (its BOM removed), UTF-16 with a BOM, else Shift_JIS
 * (CP932). Bytes that are none of them (a binary file, another encoding) are refused.
 */
export function decodeText(buffer: Buffer): string {
  let text: string | null = null
  if (buffer[0] === 0xff && buffer[1] === 0xfe) text = iconv.decode(buffer.subarray(2), 'utf-16le')
  else if (buffer[0] === 0xfe && buffer[1] === 0xff)
    text = iconv.decode(buffer.subarray(2), 'utf-16be')
  else {
    const body =
      buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? buffer.subarray(3) : buffer
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body)
    } catch {
      text = iconv.decode(body, 'cp932')
      // iconv marks bytes that are not CP932 with U+FFFD.
      if (text.includes('\uFFFD')) throw refuse('unreadable_text')
    }
  }
  if (hasBinary(text)) throw refuse('unreadable_text')
  return text.replace(/^\uFEFF/, '')
}

// ---------------------------------------------------------------------------------------------
// .docx: mammoth's HTML → reference text

interface Element {
  tag: string
  children: Node[]
  /** A table cell's rowspan (mammoth writes one for a vertically merged cell). */
  rowspan?: number
}
type Node = Element | string

const VOID_TAGS = new Set(['br', 'img', 'hr'])

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (entity, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16))
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10))
    return NAMED_ENTITIES[name.toLowerCase()] ?? entity
  })
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** A tree of mammoth's simple HTML (well formed: every tag it opens it closes). */
function parseHtml(html: string): Element {
  const root: Element = { tag: 'root', children: [] }
  const stack: Element[] = [root]
  const token = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*?)(\/?)>|([^<]+)/g
  for (const match of html.matchAll(token)) {
    const [, closing, rawTag, attributes, selfClosing, text] = match
    const top = stack[stack.length - 1]
    if (text !== undefined) {
      top.children.push(decodeEntities(text))
      continue
    }
    const tag = rawTag.toLowerCase()
    if (closing) {
      const at = stack.map((element) => element.tag).lastIndexOf(tag)
      if (at > 0) stack.length = at
      continue
    }
    const element: Element = { tag, children: [] }
    const rowspan = attributes.match(/rowspan="?([0-9]+)/i)
    if (rowspan) element.rowspan = Number(rowspan[1])
    top.children.push(element)
    if (!selfClosing && !VOID_TAGS.has(tag)) stack.push(element)
  }
  return root
}

/** The text of inline content: <br> is a line break, other tags (<strong>, <a> …) only their text. */
function inlineText(node: Node): string {
  if (typeof node === 'string') return node
  if (node.tag === 'br') return '\n'
  return node.children.map(inlineText).join('')
}

const BLOCK_TAGS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'table', 'li'])

/** A bullet or number written in the text (a list item that already shows its marker). */
const WRITTEN_MARKER =
  /^(?:[①-⑳㉑-㉟㊱-㊿⑴-⒇・○◇◆●■□※\-－]|[（(][0-9０-９]{1,3}[）)]|[0-9０-９]{1,3}[.．\s\u3000]|[ア-ン][\s\u3000．.])/u

const KATAKANA =
  'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ'

/**
 * The marker Word draws for a list item and mammoth leaves out: 1 / （1） / ア by level for a
 * numbered list, ・ for a bulleted one (none when the text already starts with one).
 */
function listMarker(ordered: boolean, level: number, index: number, text: string): string {
  if (WRITTEN_MARKER.test(text.trim())) return ''
  if (!ordered) return '・'
  if (level === 0) return `${index + 1} `
  if (level === 1) return `（${index + 1}）`
  return `${KATAKANA[index % KATAKANA.length]} `
}

interface Line {
  text: string
  /** 'p' for a paragraph, 'li' for a list item. */
  tag: 'p' | 'li'
}

/** The lines of block content (a cell, a list item's nested blocks): paragraphs and list items. */
function blockLines(nodes: Node[], level = 0): Line[] {
  const lines: Line[] = []
  let inline = ''
  const flushInline = () => {
    for (const part of inline.split('\n'))
      if (part.trim() !== '') lines.push({ text: part, tag: 'p' })
    inline = ''
  }
  for (const node of nodes) {
    if (typeof node === 'string' || !BLOCK_TAGS.has(node.tag)) {
      inline += inlineText(node)
      continue
    }
    flushInline()
    if (node.tag === 'ul' || node.tag === 'ol') {
      lines.push(...listLines(node, level))
    } else if (node.tag === 'table') {
      // A table inside a cell: one line per row, cells separated by tabs.
      for (const row of tableRows(node)) {
        const cells = row.map((cell) => cellText(cell, ''))
        if (cells.some((cell) => cell !== '')) lines.push({ text: cells.join('\t'), tag: 'p' })
      }
    } else {
      for (const part of inlineText(node).split('\n'))
        if (part.trim() !== '') lines.push({ text: part, tag: 'p' })
    }
  }
  flushInline()
  return lines
}

function listLines(list: Element, level: number): Line[] {
  const lines: Line[] = []
  const ordered = list.tag === 'ol'
  let index = 0
  for (const item of list.children) {
    if (typeof item === 'string' || item.tag !== 'li') continue
    const own: Node[] = []
    const nested: Node[] = []
    for (const child of item.children) {
      if (typeof child !== 'string' && (child.tag === 'ul' || child.tag === 'ol'))
        nested.push(child)
      else own.push(child)
    }
    const text = blockLines(own, level + 1)
      .map((line) => line.text)
      .join(' ')
    if (text.trim() !== '') {
      lines.push({ text: `${listMarker(ordered, level, index, text)}${text}`, tag: 'li' })
      index++
    }
    for (const child of nested) lines.push(...listLines(child as Element, level + 1))
  }
  return lines
}

function tableRows(table: Element): Element[][] {
  const rows: Element[][] = []
  const walk = (node: Element) => {
    for (const child of node.children) {
      if (typeof child === 'string') continue
      if (child.tag === 'tr') {
        rows.push(
          child.children.filter(
            (cell): cell is Element =>
              typeof cell !== 'string' && (cell.tag === 'td' || cell.tag === 'th')
          )
        )
      } else if (child.tag === 'thead' || child.tag === 'tbody' || child.tag === 'tfoot') {
        walk(child)
      }
    }
  }
  walk(table)
  return rows
}

/** A cell's lines joined by `separator` (a label: '保有課' + '(担当課)' → one label). */
function cellText(cell: Element, separator: string): string {
  return blockLines(cell.children)
    .map((line) => line.text.trim())
    .join(separator)
}

/** A value: one paragraph as it is; several as <p>…</p> / <li>…</li> on one line. */
function valueText(lines: Line[]): string {
  if (lines.length === 0) return ''
  if (lines.length === 1 && lines[0].tag === 'p') return lines[0].text.trim()
  const parts: string[] = []
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]
    if (line.tag === 'p') {
      parts.push(`<p>${escapeHtml(line.text)}</p>`)
      continue
    }
    const items: string[] = []
    while (index < lines.length && lines[index].tag === 'li')
      items.push(`<li>${escapeHtml(lines[index++].text)}</li>`)
    index--
    parts.push(`<ul style="list-style-type: none"> ${items.join(' ')} </ul>`)
  }
  return parts.join(' ')
}

interface TableLine {
  label: string
  /** One list of lines per value cell. */
  values: Line[][]
}

/**
 * A table: 'label<TAB>value' per row of two cells or more, a one-cell row as its lines. A row
 * under a vertically merged label (rowspan), or whose label cell is empty, continues the value
 * of the row above.
 */
function tableText(table: Element): string[] {
  const entries: Array<TableLine | string[]> = []
  let last: TableLine | null = null
  let merged = 0
  const extend = (row: TableLine, cells: Element[]) => {
    const lines = cells.flatMap((cell) => blockLines(cell.children))
    if (row.values.length === 0) row.values.push([])
    row.values[row.values.length - 1].push(...lines)
  }
  for (const row of tableRows(table)) {
    if (row.length === 0) continue
    if (merged > 0 && last) {
      merged--
      extend(last, row)
      continue
    }
    if (row.length === 1) {
      entries.push(blockLines(row[0].children).map((line) => line.text))
      last = null
      continue
    }
    const label = cellText(row[0], '').replace(/\t/g, ' ')
    if (label === '' && last) {
      extend(last, row.slice(1))
      continue
    }
    last = {
      label: label.replace(/\s/gu, '') === '件名' ? '件名' : label,
      values: row.slice(1).map((cell) => blockLines(cell.children)),
    }
    merged = Math.max(0, (row[0].rowspan ?? 1) - 1)
    entries.push(last)
  }
  return entries.flatMap((entry) => {
    if (Array.isArray(entry)) return entry
    const values = entry.values.map(valueText).filter((value) => value !== '')
    if (entry.label === '' && values.length === 0) return []
    return [`${entry.label}\t${values.join('\t')}`]
  })
}

/**
 * mammoth's HTML as the markdown-ish reference form: h1 → '# ', h2 and below → '## ',
 * paragraphs and list items → lines, tables → 'label<TAB>value' lines; blocks are separated
 * by a blank line, the rows of a table are not.
 */
export function htmlToReferenceText(html: string): string {
  const out: string[] = []
  const blank = () => {
    if (out.length > 0 && out[out.length - 1] !== '') out.push('')
  }
  for (const node of parseHtml(html).children) {
    if (typeof node === 'string' || !BLOCK_TAGS.has(node.tag)) {
      const text = inlineText(node)
      if (text.trim() !== '') {
        out.push(...text.split('\n').filter((line) => line.trim() !== ''))
        blank()
      }
      continue
    }
    if (/^h[1-6]$/.test(node.tag)) {
      const text = inlineText(node)
        .replace(/\s*\n\s*/g, ' ')
        .trim()
      if (text === '') continue
      blank()
      out.push(`${node.tag === 'h1' ? '#' : '##'} ${text}`)
      blank()
    } else if (node.tag === 'table') {
      blank()
      out.push(...tableText(node))
      blank()
    } else {
      const lines = blockLines([node]).map((line) => line.text)
      if (lines.length === 0) continue
      out.push(...lines)
      blank()
    }
  }
  while (out[out.length - 1] === '') out.pop()
  return `${out.join('\n')}\n`
}
