import NoticeMail, { type NoticeRow } from '#mails/notice_mail'

/**
 * Tells the system's department and the privacy office that a contractor (or ward staff)
 * filed an incident report, a deletion certificate or a periodic report. It names the
 * contract, the system and the deadlines; never the incident's details or anyone's personal
 * data (they are read on the page).
 */
export default class OversightSubmissionMail extends NoticeMail {
  constructor(
    recipients: string[],
    readonly kind: 'incident' | 'certificate' | 'periodic_report',
    private subjectText: string,
    private lines: string[],
    private facts: NoticeRow[],
    private link: string
  ) {
    super(recipients)
  }

  subjectLine() {
    return this.subjectText
  }

  paragraphs() {
    return this.lines
  }

  rows() {
    return this.facts
  }

  url() {
    return this.link
  }
}
