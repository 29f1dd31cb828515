/**
 * Text normalisation for the council document comparison (see compare.ts for the row definition).
 *
 * Two strings are "the same" when they are equal after normalise(): NFKC (full-width and
 * half-width digits, letters, brackets and spaces become one form), HTML tags and the common
 * entities removed, markdown emphasis ('**') removed, the seeds' elision mark '：：：' removed and
 * every whitespace character removed (line breaks and wrapping never matter).
 */

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
}

/** Removes HTML tags (<p>, <li>, <b>, <ol style=…>, <br/>) and decodes the common entities. */
export function stripHtml(text: string): string {
  return text
    .replace(/<\/?[a-zA-Z][^<>]*>/g, ' ')
    .replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (entity, name: string) => {
      if (name.startsWith('#x')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16))
      if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10))
      return ENTITIES[name.toLowerCase()] ?? entity
    })
}

/**
 * Removes the markdown decoration of one line of a reference text: leading '#' marks, a leading
 * list marker '- ' / '* ', and '**' emphasis anywhere. Line-level: '2-1' inside a text is kept.
 */
export function stripMarkdownLine(line: string): string {
  return line
    .replace(/\*\*/g, '')
    .replace(/^\s*#{1,6}(?=\s|$)\s*/, '')
    .replace(/^\s*[-*](?:\s+|$)/, '')
}

/** The seeds' elision mark (：：： in full width, ::: after NFKC). */
const ELISION = /:{3,}/g

/** The comparison form of a label or a value. */
export function normalise(text: string): string {
  return stripHtml(text)
    .normalize('NFKC')
    .replace(/\*\*/g, '')
    .replace(ELISION, '')
    .replace(/\s+/gu, '')
}

/** Display form: tags removed, whitespace runs collapsed to one space, NFKC not applied. */
export function displayText(text: string): string {
  return stripHtml(text).replace(/\s+/gu, ' ').trim()
}

/** True when a line is only the elision mark (and whitespace). */
export function isElision(line: string): boolean {
  return /^\s*[:：]{3,}\s*$/u.test(line)
}
