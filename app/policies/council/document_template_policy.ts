import type User from '#models/user'
import BasePolicy from '#policies/base_policy'

/**
 * Council document templates (様式): the privacy office and administrators
 * read and edit them; everyone else sees the wording only in the documents.
 */
export default class DocumentTemplatePolicy extends BasePolicy {
  manage(user: User) {
    return this.hasRole(user, 'privacy_officer', 'admin')
  }
}
