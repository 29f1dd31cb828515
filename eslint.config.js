import { configApp } from '@adonisjs/eslint-config'

export default configApp({
  name: 'Daichō ignores',
  ignores: ['node_modules/**', 'build/**', 'tmp/**', 'storage/**', 'coverage/**', '.adonisjs/**'],
})
