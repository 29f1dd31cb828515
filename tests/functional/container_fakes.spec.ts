import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import mail from '@adonisjs/mail/services/main'
import drive from '@adonisjs/drive/services/main'
import { Mailer } from '@adonisjs/mail'
import { Disk } from '@adonisjs/drive'

/**
 * Services get Mailer and Disk by @inject(); the container binding resolves
 * the current default each time, so mail.fake() and drive.fake() still reach them.
 */
test.group('Container bindings of the outside world', () => {
  test('an injected Mailer is the fake while mail is faked', async ({ cleanup }) => {
    const fake = mail.fake()
    cleanup(() => mail.restore())
    const mailer = await app.container.make(Mailer)
    await mailer.send((message) => {
      message.to('someone@example.jp').from('daicho@example.jp').subject('test').text('body')
    })
    fake.messages.assertSent({ subject: 'test' })
  })

  test('an injected Disk is the fake while drive is faked', async ({ assert, cleanup }) => {
    const fake = drive.fake()
    cleanup(() => drive.restore())
    const disk = await app.container.make(Disk)
    await disk.put('probe/file.txt', 'content')
    fake.assertExists('probe/file.txt')
    assert.equal(await fake.get('probe/file.txt'), 'content')
  })
})
