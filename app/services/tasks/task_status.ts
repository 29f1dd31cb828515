import { DateTime } from 'luxon'
import type BackgroundTask from '#models/background_task'
import type { I18n } from '@adonisjs/i18n'

/** What the task page and its polling script show of a task. */
export interface TaskStatusView {
  id: number
  kind: string
  status: BackgroundTask['status']
  finished: boolean
  phase: string | null
  /** The phase in words: 「ファイルを確認しています」… */
  phaseLabel: string | null
  done: number
  total: number | null
  percent: number | null
  secondsLeft: number | null
  /** 「12,000 / 30,000 行（残り約 40 秒）」 */
  text: string
  /** Why it failed, in words. */
  error: string | null
}

export default class TaskStatus {
  static of(task: BackgroundTask, i18n: I18n, now: DateTime = DateTime.now()): TaskStatusView {
    const secondsLeft = task.secondsLeft(now)
    const phaseLabel = task.phase ? i18n.t(`tasks.phases.${task.phase}`) : null
    const number = (value: number) => i18n.formatNumber(value)
    let text: string
    if (task.status === 'queued') text = i18n.t('tasks.queued')
    else if (task.finished) text = i18n.t(`tasks.statuses.${task.status}`)
    else if (task.total === null) text = phaseLabel ?? ''
    else {
      text = i18n.t('tasks.rows_done', { done: number(task.done), total: number(task.total) })
      if (secondsLeft !== null)
        text += i18n.t('tasks.time_left', { left: TaskStatus.duration(secondsLeft, i18n) })
    }
    return {
      id: task.id,
      kind: task.kind,
      status: task.status,
      finished: task.finished,
      phase: task.phase,
      phaseLabel,
      done: task.done,
      total: task.total,
      percent: task.percent,
      secondsLeft,
      text,
      error: task.error ? i18n.t(task.error) : null,
    }
  }

  /** 「約 40 秒」「約 3 分」 */
  static duration(seconds: number, i18n: I18n): string {
    if (seconds < 60) return i18n.t('tasks.seconds', { count: Math.max(1, seconds) })
    return i18n.t('tasks.minutes', { count: Math.ceil(seconds / 60) })
  }
}
