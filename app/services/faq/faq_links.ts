import type { FaqLink } from '#models/faq_entry'

export type LinksParse = { ok: true; links: FaqLink[] } | { ok: false; line: number; text: string }

const URL_AT_END = /^(.*?)\s*(https?:\/\/\S+)$/

/**
 * Related links as staff type them, one per line: 「ごみの出し方 https://…」
 * (a label, then the address) or just the address. Only http(s) addresses.
 */
export default class FaqLinks {
  static parse(text: string | null | undefined): LinksParse {
    const links: FaqLink[] = []
    const lines = (text ?? '').split(/\r\n?|\n/)
    for (const [index, raw] of lines.entries()) {
      const line = raw.trim()
      if (!line) continue
      const match = URL_AT_END.exec(line)
      if (!match || !FaqLinks.#validUrl(match[2])) return { ok: false, line: index + 1, text: line }
      links.push({ label: match[1].replace(/[|｜]\s*$/, '').trim() || match[2], url: match[2] })
    }
    return { ok: true, links }
  }

  /** Back to the one-per-line text of the form and the CSV. */
  static format(links: FaqLink[]): string {
    return links
      .map((link) =>
        link.label && link.label !== link.url ? `${link.label} ${link.url}` : link.url
      )
      .join('\n')
  }

  static #validUrl(value: string): boolean {
    try {
      const url = new URL(value)
      return url.protocol === 'http:' || url.protocol === 'https:'
    } catch {
      return false
    }
  }
}
