import factory from '@adonisjs/lucid/factories'
import { DateTime } from 'luxon'
import Opinion from '#models/opinion'
import OpinionSchedule from '#services/opinions/opinion_schedule'
import { OpinionDepartmentFactory } from '#database/factories/opinion_department_factory'
import { OpinionReplyFactory } from '#database/factories/opinion_reply_factory'

/**
 * An opinion as taken in (a letter, received now, a reply wanted by letter,
 * with the submitter's name and address), inserted directly rather than
 * through intake. Unless merged, the dates that follow from the receipt
 * (fiscal year, month, due date, call-center retention) are computed as
 * intake computes them (OpinionSchedule.forReceipt).
 */
export const OpinionFactory = factory
  .define(Opinion, () => ({
    channel: 'letter' as const,
    kind: 'opinion' as const,
    subject: '区政への意見',
    body: '公園の清掃をお願いします。',
    status: 'received' as const,
    anonymous: false,
    replyWanted: true,
    replyMethod: 'letter' as const,
    submitterName: '申出 太郎',
    submitterAddress: '東京都新宿区1-1-1',
    receivedAt: DateTime.now(),
    collectedByCallCenter: false,
  }))
  /** No reply owed (and so no due date). */
  .state('noReply', (opinion) => {
    opinion.replyWanted = false
    opinion.replyMethod = null
  })
  /** Nobody to reply to: no name, address or reply method. */
  .state('withoutSubmitter', (opinion) => {
    opinion.submitterName = null
    opinion.submitterAddress = null
    opinion.replyMethod = null
  })
  .state('anonymous', (opinion) => {
    opinion.anonymous = true
    opinion.replyWanted = false
    opinion.replyMethod = null
    opinion.submitterName = null
    opinion.submitterAddress = null
  })
  .state('callCenter', (opinion) => {
    opinion.channel = 'call_center'
  })
  .state('forwarded', (opinion) => {
    opinion.status = 'forwarded'
  })
  .state('closed', (opinion) => {
    opinion.status = 'closed'
  })
  .before('create', (_, opinion) => {
    const schedule = OpinionSchedule.forReceipt(opinion.receivedAt, {
      channel: opinion.channel,
      replyOwed: opinion.replyWanted,
      collectedByCallCenter: opinion.collectedByCallCenter,
    })
    if (opinion.fiscalYear === undefined) opinion.fiscalYear = schedule.fiscalYear
    if (opinion.receivedMonth === undefined) opinion.receivedMonth = schedule.receivedMonth
    if (opinion.dueOn === undefined) opinion.dueOn = schedule.dueOn
    if (opinion.personalDataExpiresOn === undefined)
      opinion.personalDataExpiresOn = schedule.personalDataExpiresOn
  })
  .relation('assignments', () => OpinionDepartmentFactory)
  .relation('replies', () => OpinionReplyFactory)
  .build()
