import app from '@adonisjs/core/services/app'
import { SessionCollection, type Session } from '@adonisjs/session'
import { SESSION_ABSOLUTE_TIMEOUT_MS, SESSION_IDLE_TIMEOUT_MS } from '#config/session'

/** The two login guards; their accounts live in different tables, so ids overlap. */
export type SessionGuard = 'web' | 'citizen'

/** Session keys holding when the login began and when the session was last used (epoch ms). */
export const STARTED_AT_KEY = 'daicho_started_at'
export const SEEN_AT_KEY = 'daicho_seen_at'
/**
 * How stale the stored last-use time may be: the idle timeout may end a session up to this much
 * before 30 minutes without a request, never after.
 */
export const SEEN_AT_PRECISION_MS = 60 * 1000

/** The tag a logged-in session carries in the store: `web:12`, `citizen:12`. */
export function sessionTag(guard: SessionGuard, accountId: number | string) {
  return `${guard}:${accountId}`
}

/**
 * Called right after `auth.use(guard).login(...)`: the absolute timeout counts from here, and
 * the session is tagged with the account so a password change can find and end it.
 */
export async function startLoginSession(session: Session, guard: SessionGuard, accountId: number) {
  const now = Date.now()
  session.put(STARTED_AT_KEY, now)
  session.put(SEEN_AT_KEY, now)
  await session.tag(sessionTag(guard, accountId))
}

/**
 * Ends the current session on the server: its stored row is deleted when the response is
 * committed and the browser gets a new, empty session id. Used by logout.
 */
export function endSession(session: Session) {
  session.clear()
  session.regenerate()
}

/** Why a stored session is no longer valid, or null when it still is. */
export function sessionExpiry(session: Session, now = Date.now()): 'idle' | 'absolute' | null {
  const startedAt = Number(session.get(STARTED_AT_KEY))
  const seenAt = Number(session.get(SEEN_AT_KEY))
  if (startedAt && now - startedAt > SESSION_ABSOLUTE_TIMEOUT_MS) return 'absolute'
  if (seenAt && now - seenAt > SESSION_IDLE_TIMEOUT_MS) return 'idle'
  return null
}

/**
 * Ends every stored session of an account (after a password change or deactivation): cookies
 * issued before are refused from now on, in every browser. When the account is the one making
 * this request (`currentSession`), its own session continues under a new id, so the person who just changed the
 * password stays logged in here and nowhere else.
 */
export async function revokeSessions(
  guard: SessionGuard,
  accountId: number,
  currentSession: Session | null
) {
  const tag = sessionTag(guard, accountId)
  const collection = await app.container.make(SessionCollection)
  for (const tagged of await collection.tagged(tag)) {
    await collection.destroy(tagged.id)
  }
  if (currentSession && String(currentSession.get(`auth_${guard}`)) === String(accountId)) {
    currentSession.regenerate()
    await currentSession.tag(tag)
  }
}
