import type { Bucket, OpinionStatisticsResult } from '#services/opinions/opinion_statistics'
import WardCalendar from '#services/ward_calendar'

const COUNT_FORMAT = new Intl.NumberFormat('en-US')

export interface ColumnChart {
  width: number
  height: number
  /** Plot area: left edge, top edge, bottom (baseline) edge. */
  left: number
  top: number
  baseline: number
  bars: Array<{
    x: number
    y: number
    width: number
    height: number
    value: number
    label: string
    title: string
  }>
  ticks: Array<{ y: number; value: number }>
}

/**
 * Axis ticks for counts: a whole step of 1, 2 or 5 × 10ⁿ giving at most
 * four intervals, and the axis maximum at the first tick at or above the
 * largest value (7 → 0, 2, 4, 6, 8; never a rounded 2.5 shown as "3").
 */
export function axisTicks(largest: number): { max: number; values: number[] } {
  const wanted = Math.max(1, largest / 4)
  const power = 10 ** Math.floor(Math.log10(wanted))
  const step = [1, 2, 5, 10]
    .map((factor) => factor * power)
    .find((candidate) => candidate >= wanted)!
  const max = Math.max(step, Math.ceil(largest / step) * step)
  return { max, values: Array.from({ length: max / step + 1 }, (_, index) => index * step) }
}

/**
 * Geometry of the charts on the statistics page, computed here so the Edge
 * template only draws: inline SVG (no script, no inline style, so the CSP
 * holds) and bar widths in percent. Every chart sits next to a table of the
 * same figures; the SVG itself is aria-hidden.
 */
export default class OpinionStatisticsCharts {
  /** Vertical columns (months, fiscal years) in a fixed viewBox that scales to the page width. */
  static columns(
    buckets: Bucket[],
    labelOf: (bucket: Bucket, index: number) => string,
    titleOf: (bucket: Bucket) => string
  ): ColumnChart {
    const width = 960
    const height = 260
    const left = 56
    const top = 12
    const baseline = height - 40
    const axis = axisTicks(Math.max(0, ...buckets.map((bucket) => bucket.count)))
    const max = axis.max
    const slot = (width - left - 8) / Math.max(1, buckets.length)
    const barWidth = Math.max(2, Math.min(48, slot * 0.7))
    const scale = (baseline - top) / max
    return {
      width,
      height,
      left,
      top,
      baseline,
      bars: buckets.map((bucket, index) => {
        const barHeight = Math.round(bucket.count * scale * 10) / 10
        return {
          x: Math.round((left + slot * index + (slot - barWidth) / 2) * 10) / 10,
          y: Math.round((baseline - barHeight) * 10) / 10,
          width: Math.round(barWidth * 10) / 10,
          height: barHeight,
          value: bucket.count,
          label: labelOf(bucket, index),
          title: titleOf(bucket),
        }
      }),
      ticks: axis.values.map((value) => ({
        y: Math.round((baseline - value * scale) * 10) / 10,
        value,
      })),
    }
  }

  /**
   * The two column charts of the statistics page: opinions per month (with
   * more than 24 months only April, the start of a fiscal year, and the first
   * month are labelled) and per fiscal year. `monthLabel` names a 'YYYY-MM'.
   */
  static forPage(statistics: OpinionStatisticsResult, monthLabel: (key: string) => string) {
    const manyMonths = statistics.byMonth.length > 24
    return {
      monthChart: OpinionStatisticsCharts.columns(
        statistics.byMonth,
        (bucket, index) =>
          !manyMonths || bucket.key.endsWith('-04') || index === 0
            ? `${Number(bucket.key.slice(5, 7))}`
            : '',
        (bucket) => `${monthLabel(bucket.key)}: ${bucket.count}`
      ),
      yearChart: OpinionStatisticsCharts.columns(
        statistics.byFiscalYear,
        (bucket) => WardCalendar.fiscalYearLabel(Number(bucket.key)),
        (bucket) => `${WardCalendar.fiscalYearLabel(Number(bucket.key))}: ${bucket.count}`
      ),
    }
  }

  /** A count with thousands separators (toLocaleString would build a formatter per call). */
  static count(value: number): string {
    return COUNT_FORMAT.format(value)
  }

  /** Bar length in percent of the largest value (horizontal bars inside the tables). */
  static percentOf(value: number, max: number): number {
    return max > 0 ? Math.round((value / max) * 1000) / 10 : 0
  }
}
