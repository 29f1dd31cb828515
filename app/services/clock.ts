import { DateTime } from 'luxon'

/**
 * The time of the outside world. Services that decide by date (deadlines,
 * reminders, retention) take it from the container, so a test swaps in a
 * fixed clock: `app.container.swap(Clock, () => new FixedClock(date))`.
 */
export default class Clock {
  /** The current time in the application's zone. */
  now(): DateTime {
    return DateTime.now()
  }

  /** The start of today. */
  today(): DateTime {
    return this.now().startOf('day')
  }
}

/** A clock stopped at one instant (tests, replays). */
export class FixedClock extends Clock {
  constructor(private readonly instant: DateTime) {
    super()
  }

  now(): DateTime {
    return this.instant
  }
}
