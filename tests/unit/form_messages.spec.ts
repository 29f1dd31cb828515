import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { test } from '@japa/runner'
import vine, { errors as vineErrors } from '@vinejs/vine'
import app from '@adonisjs/core/services/app'
import i18nManager from '@adonisjs/i18n/services/main'
import { FormMessagesProvider, choice, labelled, labelsOf } from '#validators/form_messages'
import { staffIntakeValidator } from '#validators/opinions/opinion'
import { incidentReportValidator } from '#validators/oversight/incident'
import { listOf } from '#validators/list_input'

/*
| Issue 18, point 14: each form names its own fields. Every validator of
| app/validators is labelled, every field it reads has a label (a list's
| entries are named by their list), and each label is a text in both locales.
*/

function validatorFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return validatorFiles(path)
    return path.endsWith('.ts') ? [path] : []
  })
}

const isValidator = (value: unknown): value is { toJSON(): any; validate: Function } =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as any).toJSON === 'function' &&
  typeof (value as any).validate === 'function'

/** Paths of the fields a compiled schema reads (`members.*.fullName`); entries of a list are its own path. */
function fieldPaths(node: any, path: string[] = [], out: string[] = []): string[] {
  if (!node) return out
  if (node.type === 'object') {
    for (const property of node.properties ?? []) {
      const next = [...path, property.fieldName]
      out.push(next.join('.'))
      fieldPaths(property, next, out)
    }
    for (const group of node.groups ?? [])
      for (const condition of group.conditions ?? []) fieldPaths(condition.schema, path, out)
  } else if (node.type === 'array' || node.type === 'record') {
    fieldPaths(node.each, [...path, '*'], out)
  } else if (node.type === 'union') {
    for (const condition of node.conditions ?? []) fieldPaths(condition.schema, path, out)
  }
  return out
}

/** Validation errors of a call, by field. */
async function messagesOf(promise: Promise<unknown>): Promise<Record<string, string>> {
  try {
    await promise
    return {}
  } catch (error) {
    if (!(error instanceof vineErrors.E_VALIDATION_ERROR)) throw error
    return Object.fromEntries(
      (error.messages as Array<{ field: string; message: string }>).map((entry) => [
        entry.field,
        entry.message,
      ])
    )
  }
}

test.group('Form messages: every field of every validator has its form’s label', () => {
  test('each validator in app/validators is labelled, for each field, in ja and en', async ({
    assert,
  }) => {
    const problems: string[] = []
    let validators = 0
    for (const file of validatorFiles(app.makePath('app/validators'))) {
      const module = await import(file)
      for (const [exported, value] of Object.entries(module)) {
        if (!isValidator(value)) continue
        validators++
        const where = `${file.replace(app.makePath() + '/', '')} ${exported}`
        const labels = labelsOf(value)
        if (!labels) {
          problems.push(`${where}: not labelled`)
          continue
        }
        const provider = new FormMessagesProvider(i18nManager.locale('ja'), labels)
        for (const path of fieldPaths(value.toJSON().schema.schema)) {
          // An entry of a list (`x.*`) is named by its list; a row's field by its path or name.
          if (path.endsWith('.*')) continue
          const name = path.split('.').pop()!
          const label = provider.labelOf(path, name)
          if (!label) {
            problems.push(`${where}: no label for ${path}`)
            continue
          }
          for (const locale of ['ja', 'en']) {
            for (const key of [label.key, ...Object.values(label.data ?? {})]) {
              if (!i18nManager.locale(locale).hasMessage(key))
                problems.push(`${where}: ${path} → ${key} is missing in ${locale}`)
            }
          }
        }
      }
    }
    assert.isAbove(validators, 40)
    assert.deepEqual(problems, [])
  })
})

test.group('Form messages: what the messages say', () => {
  test('one field name, two forms: each says its own label', async ({ assert }) => {
    const provider = new FormMessagesProvider(i18nManager.locale('ja'))
    const opinion = await messagesOf(
      staffIntakeValidator.validate({}, { messagesProvider: provider })
    )
    const incident = await messagesOf(
      incidentReportValidator.validate({}, { messagesProvider: provider })
    )
    assert.equal(opinion.kind, '種別を選択してください')
    assert.equal(opinion.channel, '受付経路を選択してください')
    assert.equal(opinion.subject, '件名を入力してください')
    assert.equal(incident.kind, '事故の種別を選択してください')
    for (const message of [...Object.values(opinion), ...Object.values(incident)])
      assert.notMatch(message, /[a-z]+[A-Z_]?[a-z]*を|channel|kind/)
  })

  test('a choice, a list, a date after another, and a field without a label', async ({
    assert,
  }) => {
    const form = labelled(
      vine.compile(
        vine.object({
          method: vine.enum(['post', 'phone'] as const),
          departmentIds: listOf(vine.number()).minLength(1),
          startsOn: vine.date(),
          endsOn: vine.date().afterOrSameAs('startsOn'),
          unnamed: vine.string(),
        })
      ),
      {
        method: choice('opinions.fields.reply_method'),
        departmentIds: choice('opinions.fields.departments'),
        startsOn: 'register.contracts.starts_on',
        endsOn: 'register.contracts.ends_on',
      }
    )
    const ja = await messagesOf(
      form.validate({
        departmentIds: ['x'],
        startsOn: '2026-04-02',
        endsOn: '2026-04-01',
      })
    )
    assert.equal(ja.method, '回答方法を選択してください')
    assert.equal(ja['departmentIds.0'], '転送先の所属に正しくない値が含まれています')
    assert.match(ja.endsOn, /^終了日は開始日以降/)
    assert.equal(ja.unnamed, 'この項目を入力してください')

    const empty = await messagesOf(form.validate({ departmentIds: [] }))
    assert.equal(empty.departmentIds, '転送先の所属を1つ以上選択してください')

    const en = await messagesOf(
      form.validate({}, { messagesProvider: new FormMessagesProvider(i18nManager.locale('en')) })
    )
    assert.equal(en.method, 'Reply by: choose one')
  })
})
