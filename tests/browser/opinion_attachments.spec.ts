import { mkdir } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import drive from '@adonisjs/drive/services/main'
import Opinion from '#models/opinion'
import User from '#models/user'
import { freshDemoDatabase, SCREENSHOT_DIR } from './support.js'

/** A FAX image as a PNG (its signature, then anything). */
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(2048, 1),
])

test.group('Opinion page: attachments and corrections (Chromium, real forms)', (group) => {
  group.setup(freshDemoDatabase)
  group.each.setup(() => {
    drive.fake('fs')
    return () => drive.restore('fs')
  })

  test('an operator attaches a FAX image, is told in Japanese when a file is not one, and corrects the caller’s phone number', async ({
    browserContext,
    visit,
    assert,
  }) => {
    await browserContext.loginAs(await User.findByOrFail('email', 'operator@demo.daicho.jp'))
    const opinion = await Opinion.findByOrFail('subject', '避難所の場所（時間外受付）')
    const page = await visit(`/opinions/${opinion.id}`)
    // Consent taken at the call center.
    await page.getByText('同意あり（利用目的を説明済み）').waitFor()

    // A page renamed to .pdf: refused on the form, the kind chosen kept.
    await page.getByLabel('種類').selectOption({ label: '手紙・はがき' })
    await page.locator('#field-file').setInputFiles({
      name: '手紙.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('<html>not a pdf</html>'),
    })
    await page.getByRole('button', { name: '添付する' }).click()
    await page
      .locator('.field-error')
      .getByText('添付できるのはPDF・JPEG・PNG・TIFFのファイルです（拡張子と内容が一致するもの）。')
      .waitFor()
    assert.equal(await page.getByLabel('種類').inputValue(), 'letter')

    await page.getByLabel('種類').selectOption({ label: 'FAX' })
    await page.locator('#field-file').setInputFiles({
      name: 'FAX受信_避難所の問合せ.png',
      mimeType: 'image/png',
      buffer: PNG,
    })
    await page.getByRole('button', { name: '添付する' }).click()
    await page.getByText('ファイルを添付しました。').waitFor()
    const link = page.getByRole('link', { name: 'FAX受信_避難所の問合せ.png' })
    await link.waitFor()

    const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
    assert.equal(download.suggestedFilename(), 'FAX受信_避難所の問合せ.png')

    await page.getByText('受付内容を訂正する').click()
    await page.getByLabel('電話番号（日中連絡先）').fill('090-1234-5678')
    await page.getByLabel('訂正の理由').fill('折り返し先の聞き違い')
    await page.getByRole('button', { name: '訂正を記録' }).click()
    await page.getByText('受付内容を訂正しました。').waitFor()
    const history = page.locator('#history-heading + ol')
    await history.getByText('090-0000-0000').waitFor()
    await history.getByText('090-1234-5678').waitFor()

    await mkdir(app.makePath(SCREENSHOT_DIR), { recursive: true })
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.screenshot({
      path: app.makePath(SCREENSHOT_DIR, 'opinion-attachments-correction.png'),
      fullPage: true,
    })
    await page.setViewportSize({ width: 390, height: 844 })
    await page.screenshot({
      path: app.makePath(SCREENSHOT_DIR, 'opinion-attachments-correction-390.png'),
      fullPage: true,
    })

    // The intake form asks the call center for the consent and the uses explained.
    await page.setViewportSize({ width: 1280, height: 900 })
    const intake = await visit('/opinions/create')
    const consent = intake.locator('fieldset', { hasText: '個人情報の取得への同意' })
    await consent.getByLabel('申出人が個人情報の提供に同意した').check()
    await consent.getByLabel('担当課からの回答・連絡のため').check()
    await consent.screenshot({ path: app.makePath(SCREENSHOT_DIR, 'opinion-intake-consent.png') })
  })
})
