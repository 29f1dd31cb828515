import { DateTime } from 'luxon'
import factory from '@adonisjs/lucid/factories'
import Citizen from '#models/citizen'
import { TEST_PASSWORD } from '#database/factories/user_factory'

/**
 * A registered citizen whose address is not confirmed yet (as registration
 * leaves it); `verified`: confirmed, so they can log in; `demo`: a demo
 * account.
 */
export const CitizenFactory = factory
  .define(Citizen, ({ faker }) => ({
    email: faker.internet.email().toLowerCase(),
    fullName: '区民 太郎',
    phone: '03-1234-5678',
    password: TEST_PASSWORD,
    isDemo: false,
    failedLoginCount: 0,
  }))
  .state('verified', (citizen) => {
    citizen.emailVerifiedAt = DateTime.now()
  })
  .state('demo', (citizen) => {
    citizen.isDemo = true
  })
  .build()
