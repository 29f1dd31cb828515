/*
|--------------------------------------------------------------------------
| Bouncer policies
|--------------------------------------------------------------------------
|
| Pre-registered so that Edge templates can use @can('Policy.action').
|
*/
export const policies = {
  DepartmentPolicy: () => import('#policies/department_policy'),
  UserPolicy: () => import('#policies/user_policy'),
  AuditLogPolicy: () => import('#policies/audit_log_policy'),
}
