import { WARD_ZONE } from '#services/ward_calendar'

/**
 * The SQL of the cells of an opinion's CSV line that never need quotes, joined by the database:
 * 受付番号,受付日,年度 (`head`); the channel, kind and topic codes (`coded`); the lead
 * department's id and the status (`handled`); 回答期限,回答日,回答日数 (`tail`). Dates are
 * ward-local days. OpinionExport reads them as columns, OpinionCopyExport writes them into
 * its lines.
 */
export function lineSql(postgres: boolean) {
  // A date as text is 'yyyy-MM-dd' under DateStyle ISO, which the pg driver needs anyway
  // (about twice as fast as to_char); SQLite keeps ward-local 'yyyy-MM-dd HH:mm:ss' text.
  const wardDay = postgres
    ? (column: string) => `(${column} AT TIME ZONE '${WARD_ZONE}')::date::text`
    : (column: string) => `substr(${column}, 1, 10)`
  const day = postgres
    ? (column: string) => `${column}::text`
    : (column: string) => `substr(${column}, 1, 10)`
  const text = postgres ? (column: string) => `${column}::text` : (column: string) => column
  // At least six digits, never cut (padStart): lpad alone would cut a longer id.
  const paddedId = postgres
    ? `lpad(opinions.id::text, greatest(6, length(opinions.id::text)), '0')`
    : `printf('%06d', opinions.id)`
  return {
    head:
      `opinions.fiscal_year || '-' || ${paddedId} || ',' || ${wardDay('opinions.received_at')}` +
      ` || ',' || opinions.fiscal_year`,
    coded:
      `opinions.channel || ',' || opinions.kind || ',' ||` +
      ` coalesce(${text('opinions.topic_id')}, '')`,
    handled: `coalesce(${text('opinions.lead_department_id')}, '') || ',' || opinions.status`,
    tail:
      `coalesce(${day('opinions.due_on')}, '') || ',' ||` +
      ` coalesce(${wardDay('opinions.replied_at')}, '') || ',' ||` +
      ` coalesce(${text('opinions.reply_open_days')}, '')`,
  }
}
