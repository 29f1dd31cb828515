import CannedText from '#models/canned_text'
import type Opinion from '#models/opinion'
import DomainError from '#exceptions/domain_error'
import SaveReplyDraft from '#actions/opinions/save_reply_draft'

/**
 * 「挿入」 on the reply form: finds the chosen 定型文 and adds it to the
 * text typed so far. Nothing is saved; the form comes back with the result.
 * Refusals (a reply already waiting for approval, a text deleted meanwhile)
 * are DomainErrors, so the typed text comes back with the message.
 */
export default class InsertCannedText {
  /** The canned text to insert into the opinion's reply draft (the caller authorises its use). */
  async cannedText(opinion: Opinion, cannedTextId: number): Promise<CannedText> {
    const current = await SaveReplyDraft.activeReply(opinion)
    if (current && !['draft', 'returned'].includes(current.status)) {
      throw new DomainError('opinions.errors.reply_locked', { field: 'body' })
    }
    const text = await CannedText.find(cannedTextId)
    if (!text) throw new DomainError('canned_texts.errors.gone', { field: 'cannedTextId' })
    return text
  }

  /** The typed text with the canned text below it, on a line of its own. */
  static append(typed: string, canned: string): string {
    const before = typed.replace(/\r\n?/g, '\n')
    const text = canned.replace(/\r\n?/g, '\n')
    if (before.trim() === '') return text
    return before.endsWith('\n') ? `${before}${text}` : `${before}\n${text}`
  }
}
