import i18nManager from '@adonisjs/i18n/services/main'
import type { ClauseDutyKind } from '#enums/register'
import { translateMessage, type MessageRef } from '#exceptions/domain_error'
import WardCalendar from '#services/ward_calendar'

/**
 * A duty named with its period, as a message for the reader's language:
 * 「2026年11月分の定期報告」, 「令和8年度の立入調査（監査）」; a one-off duty
 * (roster, certificate…) by its name only. Mails and わたしの仕事 say it alike.
 */
export function dutyLabelMessage(kind: ClauseDutyKind, periodKey: string): MessageRef | string {
  const ja = i18nManager.locale('ja')
  const month = /^(\d{4})-(\d{2})$/.exec(periodKey)
  const year = /^(\d{4})$/.exec(periodKey)
  const short = `notices.duty.${kind}`
  if ((month || year) && ja.hasMessage(short)) {
    const duty = { key: short }
    return month
      ? { key: 'notices.duty.month', data: { year: month[1], month: Number(month[2]), duty } }
      : {
          key: 'notices.duty.fiscal_year',
          data: { fiscalYear: WardCalendar.fiscalYearLabel(Number(year![1])), duty },
        }
  }
  const key = `oversight.reminder.kind.${kind}`
  return ja.hasMessage(key) ? { key } : kind
}

/** The duty's label in Japanese, as the mails say it (dutyLabelMessage). */
export function dutyLabel(kind: ClauseDutyKind, periodKey: string): string {
  return translateMessage(i18nManager.locale('ja'), dutyLabelMessage(kind, periodKey))
}
