/*
|--------------------------------------------------------------------------
| First-run preparation (plain Node, runs before the app boots)
|--------------------------------------------------------------------------
|
| Makes a fresh clone runnable with no manual editing: creates tmp/ for the
| SQLite file and writes .env from .env.example with a freshly generated
| APP_KEY when no .env exists yet. An existing .env is never overwritten.
|
*/
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'

const root = new URL('../', import.meta.url)
const envFile = new URL('.env', root)
const exampleFile = new URL('.env.example', root)

mkdirSync(new URL('tmp/', root), { recursive: true })

if (!existsSync(envFile)) {
  const appKey = randomBytes(32).toString('base64url')
  const contents = readFileSync(exampleFile, 'utf8').replace(/^APP_KEY=.*$/m, `APP_KEY=${appKey}`)
  writeFileSync(envFile, contents, { mode: 0o600 })
  console.log('Created .env with a new APP_KEY (keep this file private).')
}
