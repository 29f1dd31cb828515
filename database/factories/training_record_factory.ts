import { DateTime } from 'luxon'
import factory from '@adonisjs/lucid/factories'
import TrainingRecord from '#models/training_record'

/** A staff training of the contractor; merge `contractId`. */
export const TrainingRecordFactory = factory
  .define(TrainingRecord, () => ({
    trainedOn: DateTime.now().minus({ days: 7 }).startOf('day'),
    content: '個人情報の取扱いに関する研修',
    attendees: 5,
  }))
  .build()
