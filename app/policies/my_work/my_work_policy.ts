import app from '@adonisjs/core/services/app'
import type User from '#models/user'
import BasePolicy from '#policies/base_policy'
import MyWork from '#services/my_work/my_work'
import type { MyWorkSectionKey } from '#services/my_work/my_work_section'

/**
 * わたしの仕事: every signed-in user has the list; a section's own page is
 * open to those whose kind of work it is (what is in it is scoped anyway).
 */
export default class MyWorkPolicy extends BasePolicy {
  async viewSection(user: User, key: MyWorkSectionKey) {
    const myWork = await app.container.make(MyWork)
    return myWork.appliesTo(user, key)
  }
}
