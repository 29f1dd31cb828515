import app from '@adonisjs/core/services/app'
import { defineConfig, loaders } from '@adonisjs/i18n'
import CachedIcuFormatter from '#services/cached_icu_formatter'

const i18nConfig = defineConfig({
  defaultLocale: 'ja',
  supportedLocales: ['ja', 'en'],
  // formatters.icu(), with each message compiled once per locale
  formatter: () => new CachedIcuFormatter(),
  loaders: [loaders.fs({ location: app.languageFilesPath() })],
})

export default i18nConfig
