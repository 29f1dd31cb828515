import CannedText from '#models/canned_text'
import DepartmentDirectory from '#services/department_directory'
import type User from '#models/user'
import type DepartmentScope from '#builders/department_scope'

export interface CannedTextFilters {
  departmentId?: number
  page?: number
}

/**
 * The reads behind the 定型文 pages and the reply form. Lists are limited
 * to the user's departments (DepartmentScope); one text is looked up
 * unscoped and CannedTextPolicy decides (403), as the opinion pages do.
 */
export default class CannedTextQueries {
  static find(id: number | string): Promise<CannedText> {
    return CannedText.findOrFail(id)
  }

  /** One page of the texts in scope, by department (organisation order) and title. */
  static async list(scope: DepartmentScope, filters: CannedTextFilters) {
    const texts = await scope
      .restrict(CannedText.query(), 'canned_texts.department_id')
      .if(filters.departmentId, (query) =>
        query.where('canned_texts.department_id', filters.departmentId!)
      )
      .join('departments', 'departments.id', 'canned_texts.department_id')
      .select('canned_texts.*')
      .preload('department')
      .preload('updatedBy')
      .orderBy('departments.sort_order')
      .orderBy('departments.id')
      .orderBy('canned_texts.title')
      .orderBy('canned_texts.id')
      .paginate(filters.page ?? 1, 50)
    texts.baseUrl('/canned-texts').queryString({ departmentId: filters.departmentId })
    return texts
  }

  /**
   * What the reply form offers: every text of the drafter's departments (a short list per
   * department). The form names each text's department from the page's directory.
   */
  static forReply(scope: DepartmentScope): Promise<CannedText[]> {
    return scope
      .restrict(CannedText.query(), 'canned_texts.department_id')
      .orderBy('department_id')
      .orderBy('title')
      .orderBy('id')
      .limit(500)
  }

  /** The departments (課 and 係, organisation order) a user may write texts for. */
  static async departments(scope: DepartmentScope, account: User) {
    const tree = await DepartmentDirectory.treeFor(account)
    return tree.filter(
      ({ department }) => department.level !== 'bu' && scope.includes(department.id)
    )
  }
}
