import type { Bucket } from '#services/opinion_statistics'

export interface ColumnChart {
  width: number
  height: number
  /** Plot area: left edge, top edge, bottom (baseline) edge. */
  left: number
  top: number
  baseline: number
  bars: Array<{ x: number; y: number; width: number; height: number; value: number; label: string; title: string }>
  ticks: Array<{ y: number; value: number }>
}

/** A rounded axis maximum (1, 2, 5 × 10ⁿ) at or above `value`. */
export function niceMax(value: number): number {
  if (value <= 0) return 1
  const power = 10 ** Math.floor(Math.log10(value))
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= value) return step * power
  }
  return 10 * power
}

/**
 * Geometry of the charts on the statistics page, computed here so the Edge
 * template only draws: inline SVG (no script, no inline style, so the CSP
 * holds) and bar widths in percent. Every chart sits next to a table of the
 * same figures; the SVG itself is aria-hidden.
 */
export default class OpinionStatisticsCharts {
  /** Vertical columns (months, fiscal years) in a fixed viewBox that scales to the page width. */
  static columns(buckets: Bucket[], labelOf: (bucket: Bucket, index: number) => string, titleOf: (bucket: Bucket) => string): ColumnChart {
    const width = 960
    const height = 260
    const left = 56
    const top = 12
    const baseline = height - 40
    const max = niceMax(Math.max(0, ...buckets.map((bucket) => bucket.count)))
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
      ticks: [0, 0.25, 0.5, 0.75, 1].map((share) => ({
        y: Math.round((baseline - (baseline - top) * share) * 10) / 10,
        value: Math.round(max * share),
      })),
    }
  }

  /** Bar length in percent of the largest value (horizontal bars inside the tables). */
  static percentOf(value: number, max: number): number {
    return max > 0 ? Math.round((value / max) * 1000) / 10 : 0
  }
}
