import { defineConfig } from '@adonisjs/core/bodyparser'
import uploadTempFiles from '#services/uploads/upload_temp_files'

/**
 * Long forms post hundreds of rows (a 60-clause special-terms set, 200+ data
 * items or ticked items, roster members, audit lines). qs turns an index past
 * `arrayLimit` (default 20) into an object key and drops parameters past
 * `parameterLimit` (default 1,000), and the multipart parser stops at 1,000
 * fields: raise all three well past any real document, and the size limit
 * with them (a Japanese character is 9 bytes once URL-encoded).
 */
const LIST_LIMITS = { arrayLimit: 5000, parameterLimit: 50000, depth: 8 }

const bodyParserConfig = defineConfig({
  allowedMethods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  form: {
    convertEmptyStringsToNull: true,
    limit: '20mb',
    queryString: LIST_LIMITS,
    types: ['application/x-www-form-urlencoded'],
  },
  json: {
    convertEmptyStringsToNull: true,
    types: [
      'application/json',
      'application/json-patch+json',
      'application/vnd.api+json',
      'application/csp-report',
    ],
  },
  multipart: {
    autoProcess: true,
    convertEmptyStringsToNull: true,
    // These read their upload themselves: an oversized file comes back on the form
    // (CouncilImportsController, OpinionAttachmentsController).
    processManually: ['/council/imports', '/opinions/:id/attachments'],
    maxFields: 50000,
    limit: '20mb',
    // Uploads go to tmp/uploads and are deleted after each request (RemoveUploadTempFilesMiddleware).
    tmpFileName: () => uploadTempFiles.path(),
    types: ['multipart/form-data'],
  },
})

export default bodyParserConfig
