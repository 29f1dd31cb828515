/** How a submission reached the ward: web form, 一般投書, 区長へのはがき, email, FAX, counter, call center. */
export const OPINION_CHANNELS = [
  'web',
  'letter',
  'postcard',
  'email',
  'fax',
  'counter',
  'call_center',
] as const
export type OpinionChannel = (typeof OPINION_CHANNELS)[number]

/** Channels that staff enter by hand (the web form is the citizen's own). */
export const STAFF_INTAKE_CHANNELS: readonly OpinionChannel[] = [
  'letter',
  'postcard',
  'email',
  'fax',
  'counter',
  'call_center',
]

/** 意見, 要望, 問合せ, 苦情, 提案. */
export const OPINION_KINDS = ['opinion', 'request', 'inquiry', 'complaint', 'proposal'] as const
export type OpinionKind = (typeof OPINION_KINDS)[number]

/**
 * received (受付), forwarded (転送済・対応中), awaiting_approval (回答承認待ち),
 * replied (回答済), closed (完了).
 */
export const OPINION_STATUSES = [
  'received',
  'forwarded',
  'awaiting_approval',
  'replied',
  'closed',
] as const
export type OpinionStatus = (typeof OPINION_STATUSES)[number]

/** Statuses in which the reply is still owed (the due date applies). */
export const OPEN_OPINION_STATUSES: readonly OpinionStatus[] = [
  'received',
  'forwarded',
  'awaiting_approval',
]

/** How a reply reaches the submitter: inside the citizen portal, or by email, letter, phone, FAX. */
export const REPLY_METHODS = ['portal', 'email', 'letter', 'phone', 'fax'] as const
export type ReplyMethod = (typeof REPLY_METHODS)[number]

/** 回答, 説明, 対応: what a department did. */
export const HANDLING_KINDS = ['reply', 'explanation', 'action'] as const
export type HandlingKind = (typeof HANDLING_KINDS)[number]

export const REPLY_STATUSES = [
  'draft',
  'awaiting_approval',
  'returned',
  'approved',
  'sent',
] as const
export type ReplyStatus = (typeof REPLY_STATUSES)[number]

/** Steps of the processing history (処理履歴). */
export const OPINION_EVENT_KINDS = [
  'received',
  'handed_over',
  'forwarded',
  'assigned',
  'unassigned',
  'handled',
  'note',
  'reply_drafted',
  'reply_requested',
  'reply_approved',
  'reply_returned',
  'reply_sent',
  'closed',
  'correction',
  'details_corrected',
  'attachment_added',
  'attachment_removed',
  'personal_data_deleted',
] as const
export type OpinionEventKind = (typeof OPINION_EVENT_KINDS)[number]

/** Replies are due 14 open days after receipt (seed 000: 受付から14日程度、休日、祝日及び年末年始を除く). */
export const REPLY_DUE_OPEN_DAYS = 14

/** Alerts start this many open days before the due date. */
export const NEAR_DUE_OPEN_DAYS = 3

/** The call center's personal data is kept one year after collection. */
export const CALL_CENTER_RETENTION_YEARS = 1

/** The submitter's personal data on an opinion (encrypted per field; reads are audited by these names). */
export const OPINION_PERSONAL_FIELDS = [
  'submitterName',
  'submitterPostalCode',
  'submitterAddress',
  'submitterPhone',
  'submitterEmail',
  'submitterFax',
] as const
export type OpinionPersonalField = (typeof OPINION_PERSONAL_FIELDS)[number]

/** Details of an opinion that staff may correct after intake (訂正), besides the submitter's contact. */
export const CORRECTABLE_OPINION_FIELDS = ['subject', 'topicId', 'channel'] as const
export type CorrectableOpinionField = (typeof CORRECTABLE_OPINION_FIELDS)[number]

/** What an attachment of an opinion is: a letter or postcard, a FAX, a photo, something else. */
export const OPINION_ATTACHMENT_KINDS = ['letter', 'fax', 'photo', 'other'] as const
export type OpinionAttachmentKind = (typeof OPINION_ATTACHMENT_KINDS)[number]

/** Uses of the caller's personal data the call center explains before taking it (利用目的の説明). */
export const CONSENT_PURPOSES = ['reply', 'handover', 'confirmation', 'other'] as const
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number]
