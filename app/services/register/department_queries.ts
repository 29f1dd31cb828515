import type Department from '#models/department'
import User from '#models/user'

/** The reads of the department pages. */
export default class DepartmentQueries {
  /** A department with its parent and children, and its members by name. */
  static async forShow(department: Department) {
    await department.load((loader) => loader.load('parent').load('children'))
    const members = await User.query().where('departmentId', department.id).orderBy('fullName')
    return { department, members }
  }
}
