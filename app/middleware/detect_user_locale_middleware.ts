import { I18n } from '@adonisjs/i18n'
import i18nManager from '@adonisjs/i18n/services/main'
import type { NextFn } from '@adonisjs/core/types/http'
import { type HttpContext, RequestValidator } from '@adonisjs/core/http'
import { FormMessagesProvider } from '#validators/form_messages'

export const LOCALE_COOKIE = 'locale'

/**
 * Japanese first: the UI is Japanese unless the visitor picked English with
 * ?lang=en (remembered in a cookie) or a staff user set English as their
 * language. The browser's Accept-Language is deliberately not used.
 */
export default class DetectUserLocaleMiddleware {
  static {
    // Messages in the request's locale; a labelled validator adds its form's labels.
    RequestValidator.messagesProvider = (ctx) => new FormMessagesProvider(ctx.i18n)
  }

  protected chosenLocale(ctx: HttpContext): string | null {
    const fromQuery = ctx.request.input('lang')
    if (typeof fromQuery === 'string' && i18nManager.supportedLocales().includes(fromQuery)) {
      ctx.response.plainCookie(LOCALE_COOKIE, fromQuery, { maxAge: '1y', httpOnly: true })
      return fromQuery
    }
    const fromCookie = ctx.request.plainCookie(LOCALE_COOKIE)
    if (typeof fromCookie === 'string' && i18nManager.supportedLocales().includes(fromCookie)) {
      return fromCookie
    }
    return ctx.auth.use('web').user?.locale ?? null
  }

  async handle(ctx: HttpContext, next: NextFn) {
    const locale = this.chosenLocale(ctx) ?? i18nManager.defaultLocale
    ctx.i18n = i18nManager.locale(locale)
    ctx.containerResolver.bindValue(I18n, ctx.i18n)

    if ('view' in ctx) {
      ctx.view.share({ i18n: ctx.i18n, locale })
    }

    return next()
  }
}

declare module '@adonisjs/core/http' {
  export interface HttpContext {
    i18n: I18n
  }
}
