import type { HttpContext } from '@adonisjs/core/http'
import FailedJob from '#models/failed_job'
import FailedJobPolicy from '#policies/admin/failed_job_policy'
import RetryFailedJob from '#actions/admin/retry_failed_job'
import FailedJobs from '#services/jobs/failed_jobs'

export default class FailedJobsController {
  /** Background jobs that failed after their retries: job, error, attempts, when; never the payload. */
  async index({ request, view, bouncer }: HttpContext) {
    await bouncer.with(FailedJobPolicy).authorize('viewAny')
    const page = Math.max(1, Number(request.input('page', 1)) || 1)
    const failedJobs = await FailedJob.query()
      .orderBy('failed_at', 'desc')
      .orderBy('id', 'desc')
      .paginate(page, 50)
    failedJobs.baseUrl('/admin/failed-jobs')
    const rows = await Promise.all(
      failedJobs.all().map(async (failed) => ({
        failed,
        name: FailedJobs.displayName(failed),
        summary: await FailedJobs.describe(failed),
      }))
    )
    return view.render('pages/admin/failed_jobs/index', { failedJobs, rows })
  }

  /** 再実行: the job goes to the queue again. */
  async retry({ params, response, session, bouncer, i18n, auditLog }: HttpContext) {
    await bouncer.with(FailedJobPolicy).authorize('retry')
    const failed = await FailedJob.findOrFail(params.id)
    await new RetryFailedJob(auditLog).handle(failed)
    session.flash('success', i18n.t('admin.failed_jobs.retried'))
    return response.redirect().toRoute('admin.failed_jobs.index')
  }
}
