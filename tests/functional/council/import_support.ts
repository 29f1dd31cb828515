import CouncilImport from '#models/council_import'
import ImportReview from '#services/council/import/import_review'
import type User from '#models/user'
import { UserFactory } from '#database/factories/user_factory'
import { departmentTree } from '#tests/helpers'

/** A privacy officer of 区長室's 広聴担当課 (the ward's organisation made first). */
export async function privacyOfficer(): Promise<User> {
  const tree = await departmentTree()
  return UserFactory.apply('privacyOfficer').merge({ departmentId: tree.kocho.id }).create()
}

/**
 * Imports a document (pasted or uploaded) as the officer would, reads its review, confirms it
 * without any correction; returns the import (confirmed, with its round trip) and the review.
 */
export async function importAndConfirm(
  client: any,
  user: User,
  source: { text: string } | { file: Buffer; filename: string }
) {
  let request = client
    .post('/council/imports')
    .loginAs(user)
    .withCsrfToken()
    .header('referer', '/council/imports/create')
    .redirects(0)
  request =
    'text' in source
      ? request.form({ text: source.text })
      : request.file('file', source.file, { filename: source.filename })
  const created = await request
  created.assertStatus(302)
  const record = await CouncilImport.query().orderBy('id', 'desc').firstOrFail()
  const review = await ImportReview.of(record)

  const confirmed = await confirmImport(client, user, record)
  confirmed.assertStatus(302)
  await record.refresh()
  return { record, review }
}

/** POST …/confirm as the user (the response, unfollowed). */
export function confirmImport(client: any, user: User, record: CouncilImport) {
  return client
    .post(`/council/imports/${record.id}/confirm`)
    .loginAs(user)
    .withCsrfToken()
    .redirects(0)
}
