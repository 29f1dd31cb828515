import type { DateTime } from 'luxon'
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js'
import env from '#start/env'
import Department from '#models/department'
import Opinion from '#models/opinion'
import OpinionReply from '#models/opinion_reply'
import { COUNCIL_FONT } from '#services/council/council_document_pdf'
import WardCalendar from '#services/ward_calendar'
import { jaText } from '#services/ja_text'
import type { ReplyStatus } from '#enums/opinion'

/** Replies that print as the final letter; earlier ones print as a draft (「案」). */
export const FINAL_REPLY_STATUSES: readonly ReplyStatus[] = ['approved', 'sent']

/** The opinion's columns the letter reads: none of the submitter's personal data. */
const OPINION_COLUMNS = ['id', 'fiscal_year', 'subject', 'status', 'lead_department_id']

export interface ReplyLetterData {
  /** Not yet approved: 「回答書（案）」 with a 「案」 watermark. */
  draft: boolean
  /** 文書番号, e.g. 区民の声第2026-000123号 (from the opinion's 受付番号). */
  referenceNumber: string
  /** 令和8年11月26日: the day it was sent, else the day it is printed. */
  issuedOn: string
  /** The submitter's name, or null when unknown (a blank to fill in by hand). */
  addressee: string | null
  ward: string
  /** The replying department under the ward, e.g. 区長室 広聴担当課. */
  department: string
  address: string | null
  phone: string | null
  /** 件名, e.g. 公園の清掃について（回答）, 「騒音の苦情」について（回答） */
  subject: string
  body: string
}

/** 20 mm and 25 mm in PDF points. */
const MM20 = (20 * 72) / 25.4
const MM25 = (25 * 72) / 25.4

/**
 * 回答書 — a reply to an opinion as a letter (A4 portrait, 公用文 layout):
 * 文書番号 and date top right, the addressee with 様, the ward and
 * department with their address and phone, the title, 件名, the reply and
 * 以上. Replies not yet approved print as 「回答書（案）」 under a 「案」
 * watermark, for the paper approval round; they are never the letter sent.
 * Plain data (no functions), so it renders in PdfRenderer's worker.
 */
export default class ReplyLetter {
  /** The opinion (without personal data) and one of its replies, any status (404 otherwise). */
  static async load(id: number | string, replyId: number | string) {
    const opinion = await Opinion.query().select(OPINION_COLUMNS).where('id', id).firstOrFail()
    const reply = await OpinionReply.query()
      .where('opinionId', opinion.id)
      .where('id', replyId)
      .firstOrFail()
    return { opinion, reply }
  }

  /**
   * The submitter's name, decrypted for the letter only (the caller audits
   * the read); null when anonymous, deleted with the call-center retention,
   * or never given.
   */
  static async addressee(opinion: Opinion): Promise<string | null> {
    const row = await Opinion.query()
      .select('id', 'submitter_name', 'collected_by_call_center', 'received_month', 'anonymous')
      .where('id', opinion.id)
      .firstOrFail()
    return row.anonymous ? null : row.submitterName
  }

  /** The letter's content: the department's address and phone, else the ward's (WARD_ADDRESS, WARD_PHONE). */
  static async data(
    opinion: Opinion,
    reply: OpinionReply,
    addressee: string | null,
    today: DateTime
  ): Promise<ReplyLetterData> {
    const chain = await ReplyLetter.#departmentChain(reply.departmentId ?? opinion.leadDepartmentId)
    const own = <K extends 'address' | 'phone'>(field: K) =>
      chain.find((department) => department[field])?.[field] ?? null
    return {
      draft: !FINAL_REPLY_STATUSES.includes(reply.status),
      referenceNumber: jaText('reply_letter.reference', { ref: opinion.referenceNo }),
      issuedOn: WardCalendar.formatEra(reply.sentAt ?? today),
      addressee,
      ward: env.get('WARD_NAME') || jaText('register.file_register.values.default_organisation'),
      department: chain
        .map((department) => department.name)
        .reverse()
        .join(' '),
      address: own('address') ?? (env.get('WARD_ADDRESS') || null),
      phone: own('phone') ?? (env.get('WARD_PHONE') || null),
      subject: ReplyLetter.#subject(opinion.subject),
      body: reply.body.replace(/\r\n?/g, '\n'),
    }
  }

  static definition(data: ReplyLetterData): TDocumentDefinitions {
    const title = jaText(data.draft ? 'reply_letter.title_draft' : 'reply_letter.title')
    const sender: Content[] = [
      { text: `${data.ward}\u3000${data.department}` },
      ...(data.address ? [{ text: data.address }] : []),
      ...(data.phone ? [{ text: jaText('reply_letter.phone', { phone: data.phone }) }] : []),
    ]
    return {
      pageSize: 'A4',
      pageOrientation: 'portrait',
      pageMargins: [MM25, MM20, MM20, MM20],
      info: {
        title: `${title} ${data.referenceNumber}`,
        subject: data.subject,
        creator: 'Daichō',
        producer: 'Daichō (pdfmake)',
      },
      ...(data.draft
        ? {
            watermark: {
              text: jaText('reply_letter.watermark'),
              font: COUNCIL_FONT,
              color: '#c00000',
              opacity: 0.15,
              bold: true,
              fontSize: 220,
              angle: 0,
            },
          }
        : {}),
      defaultStyle: { font: COUNCIL_FONT, fontSize: 10.5, lineHeight: 1.5 },
      styles: {
        title: { fontSize: 16, bold: true, alignment: 'center', characterSpacing: 3 },
      },
      content: [
        {
          stack: [
            { text: data.referenceNumber },
            {
              text: data.draft
                ? jaText('reply_letter.draft_date', { date: data.issuedOn })
                : data.issuedOn,
            },
          ],
          alignment: 'right',
        },
        {
          text: `${data.addressee ?? '\u3000'.repeat(10)}\u3000${jaText('reply_letter.honorific')}`,
          fontSize: 12,
          margin: [0, 18, 0, 0],
        },
        { stack: sender, alignment: 'right', margin: [0, 12, 0, 0] },
        { text: title, style: 'title', margin: [0, 30, 0, 14] },
        {
          text: jaText('reply_letter.subject_line', { subject: data.subject }),
          margin: [0, 0, 0, 14],
        },
        { text: data.body, preserveLeadingSpaces: true },
        { text: jaText('reply_letter.closing'), alignment: 'right', margin: [0, 18, 0, 0] },
      ],
    }
  }

  /** 件名 as a reply is titled: 「…について（回答）」, the opinion's subject quoted unless it already reads so. */
  static #subject(subject: string): string {
    const topic = subject.trim()
    return topic.endsWith('について')
      ? jaText('reply_letter.subject_about', { subject: topic })
      : jaText('reply_letter.subject', { subject: topic })
  }

  /** The department and those above it, nearest first (a 係 prints under its 課 and 部). */
  static async #departmentChain(departmentId: number | null): Promise<Department[]> {
    const chain: Department[] = []
    let next = departmentId
    while (next !== null && chain.length < 5) {
      const department = await Department.find(next)
      if (!department) break
      chain.push(department)
      next = department.parentId
    }
    return chain
  }
}
