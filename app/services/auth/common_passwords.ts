import { readFileSync } from 'node:fs'
import app from '@adonisjs/core/services/app'

/**
 * The bundled offline list of common and breached passwords
 * (resources/passwords/common.txt, built by resources/passwords/generate.mjs).
 * Compared case-insensitively and ignoring surrounding spaces, so
 * "Password1234" is refused as well as "password1234".
 */
export default class CommonPasswords {
  static #list: Set<string> | null = null

  static includes(password: string): boolean {
    return this.#load().has(password.trim().toLowerCase())
  }

  static #load(): Set<string> {
    if (!this.#list) {
      const text = readFileSync(app.makePath('resources/passwords/common.txt'), 'utf8')
      this.#list = new Set(
        text
          .split('\n')
          .map((line) => line.trim().toLowerCase())
          .filter((line) => line && !line.startsWith('#'))
      )
    }
    return this.#list
  }
}
