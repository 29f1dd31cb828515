/*
|--------------------------------------------------------------------------
| Bouncer policies
|--------------------------------------------------------------------------
|
| Pre-registered so that Edge templates can use @can('Policy.action').
|
*/
export const policies = {
  DepartmentPolicy: () => import('#policies/admin/department_policy'),
  UserPolicy: () => import('#policies/admin/user_policy'),
  AuditLogPolicy: () => import('#policies/admin/audit_log_policy'),
  FailedJobPolicy: () => import('#policies/admin/failed_job_policy'),
  SystemPolicy: () => import('#policies/register/system_policy'),
  ContractPolicy: () => import('#policies/register/contract_policy'),
  SpecialTermPolicy: () => import('#policies/register/special_term_policy'),
  DocumentTemplatePolicy: () => import('#policies/council/document_template_policy'),
  CouncilItemPolicy: () => import('#policies/council/council_item_policy'),
  CouncilImportPolicy: () => import('#policies/council/council_import_policy'),
  OversightPolicy: () => import('#policies/oversight/oversight_policy'),
  OversightAuditPolicy: () => import('#policies/oversight/oversight_audit_policy'),
  ContractorPolicy: () => import('#policies/register/contractor_policy'),
  IncidentReportPolicy: () => import('#policies/oversight/incident_report_policy'),
  RosterPolicy: () => import('#policies/oversight/roster_policy'),
  CertificatePolicy: () => import('#policies/oversight/certificate_policy'),
  FaqPolicy: () => import('#policies/faq/faq_policy'),
  OpinionStatisticsPolicy: () => import('#policies/opinions/opinion_statistics_policy'),
  OpinionPolicy: () => import('#policies/opinions/opinion_policy'),
  CannedTextPolicy: () => import('#policies/opinions/canned_text_policy'),
}
