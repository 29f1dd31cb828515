import type { Edge } from 'edge.js'

/**
 * What Edge 6.5 leaves out of its template cache (production, `cache: true`),
 * measured on the opinion pages:
 * - a partial (`@include`) is read and compiled again at every include, since
 *   the compiler skips its cache whenever local variables are passed, and
 *   `compilePartial` always passes a list (the opinion page: some 5 ms);
 * - the components folder is listed again for every request (the bundled
 *   "supercharged" plugin stays recurring because AdonisJS turns the cache
 *   on after Edge was created).
 * Both are kept here while the cache is on. A partial's compiled function
 * depends on its file and the names of the local variables only.
 */
export function keepCompiledTemplates(edge: Edge) {
  for (const compiler of [edge.compiler, edge.asyncCompiler]) {
    const compile = compiler.compile.bind(compiler)
    const partials = new Map<string, ReturnType<typeof compile>>()
    compiler.compile = (templatePath, localVariables) => {
      if (!localVariables || !compiler.cacheManager.enabled) {
        return compile(templatePath, localVariables)
      }
      const key = `${templatePath}\u0000${localVariables.join(',')}`
      let compiled = partials.get(key)
      if (!compiled) {
        compiled = compile(templatePath, localVariables)
        partials.set(key, compiled)
      }
      return compiled
    }
  }

  const loader = edge.loader
  const listComponents = loader.listComponents.bind(loader)
  let components: ReturnType<typeof listComponents> | undefined
  loader.listComponents = () => {
    if (!edge.compiler.cacheManager.enabled) return listComponents()
    components ??= listComponents()
    return components
  }
}
