import { test } from '@japa/runner'
import SystemDiff from '#services/register/system_diff'
import type { SystemSnapshot } from '#services/register/system_snapshot'

const snapshot = (system: Partial<SystemSnapshot['system']> = {}): SystemSnapshot => ({
  system: {
    name: '区民意見ファイル',
    businessName: null,
    department: '広聴担当課',
    purpose: '区民の意見に回答する',
    subjectsSummary: null,
    description: null,
    recordingComputer: null,
    media: ['electronic'],
    lifecycle: 'operating',
    fileType: 'computer',
    collectionMethod: null,
    regularRecipients: null,
    ...system,
  },
  subjectGroups: [],
  dataItems: [],
  contracts: [],
})

test.group('SystemDiff: 他の法令による特別の手続 (recorded only when set)', () => {
  test('a version recorded before the field existed equals one where it is empty', ({ assert }) => {
    assert.isTrue(SystemDiff.between(snapshot(), snapshot()).same)
  })

  test('setting it and clearing it are both changes', ({ assert }) => {
    const set = SystemDiff.between(snapshot(), snapshot({ otherLawProcedures: '行政不服審査法' }))
    assert.isFalse(set.same)
    assert.deepEqual(set.fields, [
      { field: 'otherLawProcedures', before: undefined, after: '行政不服審査法' },
    ])
    const cleared = SystemDiff.between(
      snapshot({ otherLawProcedures: '行政不服審査法' }),
      snapshot()
    )
    assert.isFalse(cleared.same)
    assert.deepEqual(
      cleared.fields.map((change) => change.field),
      ['otherLawProcedures']
    )
  })
})
