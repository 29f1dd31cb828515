import { DateTime } from 'luxon'
import factory from '@adonisjs/lucid/factories'
import CouncilMeeting from '#models/council_meeting'

/** A meeting of fiscal year 2026 without a date (merge the `number`: a year has each number once). */
export const CouncilMeetingFactory = factory
  .define(CouncilMeeting, () => ({
    fiscalYear: 2026,
    number: 1,
    heldOn: null,
    notes: null,
  }))
  /** Held today (as the ward's calendar reads it). */
  .state('heldToday', (meeting) => {
    meeting.heldOn = DateTime.now().setZone('Asia/Tokyo').startOf('day')
  })
  .build()
