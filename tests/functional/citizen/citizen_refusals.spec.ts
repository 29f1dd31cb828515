import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import Citizen from '#models/citizen'
import Opinion from '#models/opinion'
import Clock, { FixedClock } from '#services/clock'
import { makeVerificationUrl } from '#actions/citizen/send_citizen_verification'
import { CitizenFactory } from '#database/factories/citizen_factory'

test.group('Citizen portal: one failure path and the injected clock', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => app.container.restore(Clock))

  test('a JSON client gets a 422 with the Japanese message on the field; nothing is saved', async ({
    client,
    assert,
  }) => {
    const citizen = await CitizenFactory.apply('verified').create()
    const response = await client
      .post('/citizen/opinions')
      .header('accept', 'application/json')
      .withGuard('citizen')
      .loginAs(citizen)
      .withCsrfToken()
      .form({
        kind: 'request',
        subject: '件名です',
        body: '本文です',
        replyWanted: '1',
        replyMethod: 'letter',
      })
    response.assertStatus(422)
    response.assertBodyContains({
      errors: [
        { field: 'submitterAddress', message: '郵送で回答する場合は住所を入力してください。' },
      ],
    })
    assert.equal(
      await Opinion.query()
        .where('citizenId', citizen.id)
        .count('* as total')
        .then((rows) => Number(rows[0].$extras.total)),
      0
    )
  })

  test('the verification time is the Clock of the container', async ({ client, assert }) => {
    const citizen = await CitizenFactory.create()
    const now = DateTime.fromISO('2026-04-01T09:15:00', { zone: 'Asia/Tokyo' })
    app.container.swap(Clock, () => new FixedClock(now))
    const url = new URL(makeVerificationUrl(citizen))
    const response = await client.get(`${url.pathname}${url.search}`).redirects(0)
    response.assertHeader('location', '/citizen')
    const verified = await Citizen.findOrFail(citizen.id)
    assert.equal(verified.emailVerifiedAt!.toMillis(), now.toMillis())
    assert.equal(verified.lastLoginAt!.toMillis(), now.toMillis())
  })
})
