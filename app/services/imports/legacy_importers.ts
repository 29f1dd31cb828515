import type { DateTime } from 'luxon'
import type { CsvInputEncoding } from '#services/csv/csv_parse'
import type { LegacyImportKind } from '#services/imports/legacy_import'
import LegacyFaqImport from '#services/imports/legacy_import_faq'
import LegacyOpinionImport from '#services/imports/legacy_import_opinions'

/** The parameters of a legacy_import background task (no personal data). */
export interface LegacyImportParams {
  kind: LegacyImportKind
  encoding: CsvInputEncoding
  /** check: the file is being (or was) checked; import: the staged rows are being (or were) imported. */
  mode: 'check' | 'import'
  /** The encrypted upload on the drive disk, deleted once the check has read it. */
  fileKey: string
  fileName: string
  /** SHA-256 of the uploaded file. */
  checksum: string
}

/**
 * The importer of the kind, on the given clock: it stamps the FAQ approvals, and decides
 * which imported call-center data is already past its retention.
 */
export function legacyImporter(kind: LegacyImportKind, now: () => DateTime) {
  return kind === 'faq' ? new LegacyFaqImport(now) : new LegacyOpinionImport(now)
}
