import { readdirSync, readFileSync } from 'node:fs'
import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { importAndConfirm, privacyOfficer } from './import_support.js'

/**
 * The check of issue 16 on documents of the ward family other than the seeds
 * (tests/fixtures/import/variants/): each is pasted, confirmed without correction, and the
 * item's PDF, generated from the register, is compared with the source row by row.
 */
const DIRECTORY = new URL('../../fixtures/import/variants/', import.meta.url)
const VARIANTS = readdirSync(DIRECTORY)
  .filter((name) => name.endsWith('.txt'))
  .sort()

/** Through the PDF, a table written inside a cell splits the cell's long label (see the unit test). */
const MINIMUM: Record<string, number> = { '04_md_bicycle_two_contracts.txt': 0.9 }

test.group(
  'Council imports: variants of the ward family round-trip without correction',
  (group) => {
    group.each.setup(() => testUtils.db().withGlobalTransaction())
    group.each.timeout(120_000)

    test('{$self} pasted as text: confirmed, and its PDF has the rows of the source')
      .with(VARIANTS)
      .run(async ({ client, assert }, name) => {
        const user = await privacyOfficer()
        const { record } = await importAndConfirm(client, user, {
          text: readFileSync(new URL(name, DIRECTORY), 'utf8'),
        })
        assert.equal(record.status, 'confirmed')
        const { identical, total, differences } = record.roundTrip!
        console.log(`${name.replace(/\.txt$/, '')} (confirmed): ${identical}/${total}`)
        for (const row of differences) console.log(`  ${JSON.stringify(row)}`)
        assert.isAtLeast(
          identical / total,
          MINIMUM[name] ?? 1,
          differences.map((row) => JSON.stringify(row)).join('\n')
        )
      })
  }
)
