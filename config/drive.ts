import { resolve } from 'node:path'
import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, services } from '@adonisjs/drive'
import type { InferDriveDisks } from '@adonisjs/drive/types'

/**
 * Uploads hold personal data (rosters, certificates, incident reports): they
 * are private and only ever streamed through an authorising controller.
 */
const driveConfig = defineConfig({
  default: env.get('DRIVE_DISK'),
  services: {
    fs: services.fs({
      // DRIVE_ROOT: one folder shared by every instance (an NFS mount); default storage/.
      location: resolve(app.makePath(), env.get('DRIVE_ROOT') || 'storage'),
      serveFiles: false,
      routeBasePath: '/uploads',
      visibility: 'private',
    }),
  },
})

export default driveConfig

declare module '@adonisjs/drive/types' {
  export interface DriveDisks extends InferDriveDisks<typeof driveConfig> {}
}
