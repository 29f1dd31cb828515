import type User from '#models/user'
import SeparationOfDutiesException from '#exceptions/separation_of_duties_exception'

/** What an approval is about: who drafted it and who asked for the approval. */
export interface ApprovalSubject {
  drafterUserIds: number[]
  draftedByUserId?: number | null
  createdByUserId?: number | null
  requestedByUserId?: number | null
}

/** The JSON list of drafters in a text column (null and bad values read as none). */
export const drafterIdsColumn = {
  prepare: (value: number[] | null | undefined) => JSON.stringify([...new Set(value ?? [])]),
  consume: (value: string | null): number[] => {
    if (!value) return []
    try {
      const parsed = JSON.parse(value)
      return Array.isArray(parsed) ? parsed.map(Number).filter(Number.isInteger) : []
    } catch {
      return []
    }
  },
}

/**
 * Separation of duties (ASVS 1.1 / issue 14): nobody approves a reply, a
 * council item or an FAQ change they drafted, edited or asked to have
 * approved, whatever their role.
 */
export default class SeparationOfDuties {
  /** True when the user wrote, edited or requested the approval of the subject. */
  static isOwnWork(user: User, subject: ApprovalSubject): boolean {
    return (
      subject.drafterUserIds.includes(user.id) ||
      subject.draftedByUserId === user.id ||
      subject.createdByUserId === user.id ||
      subject.requestedByUserId === user.id
    )
  }

  /** Throws the 403 with the Japanese explanation when the user may not decide on their own work. */
  static refuseOwnWork(user: User, subject: ApprovalSubject): void {
    if (this.isOwnWork(user, subject)) throw new SeparationOfDutiesException()
  }

  /**
   * An FAQ change: its last editor (the entry's updatedByUserId: FAQ entries
   * keep no full list of editors) and the one who asked for approval.
   */
  static faqChange(
    entry: { updatedByUserId: number | null },
    pending: { requestedByUserId: number | null } | null
  ): ApprovalSubject {
    return {
      drafterUserIds: entry.updatedByUserId === null ? [] : [entry.updatedByUserId],
      requestedByUserId: pending?.requestedByUserId ?? null,
    }
  }

  /** The drafter list with the user added (when they write or edit). */
  static withDrafter(subject: ApprovalSubject, user: User): number[] {
    return [...new Set([...subject.drafterUserIds, user.id])]
  }
}
