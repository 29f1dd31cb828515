import type { Edge } from 'edge.js'

/**
 * What Edge 6.5 leaves out of its template cache (production, `cache: true`),
 * measured on the opinion pages:
 * - a partial (`@include`) is read and compiled again at every include, since
 *   the compiler skips its cache whenever local variables are passed, and
 *   `compilePartial` always passes a list (the opinion page: some 5 ms);
 * - the components folder is listed again for every request (the bundled
 *   "supercharged" plugin stays recurring because AdonisJS turns the cache
 *   on after Edge was created);
 * - a cached template or component is found by its absolute path, which Edge
 *   joins again at every call (50 rows of a list call a component 50 times).
 * All are kept here while the cache is on. A compiled function depends on its
 * file and the names of the local variables only, and the views folder is
 * mounted once at boot.
 */
export function keepCompiledTemplates(edge: Edge) {
  for (const compiler of [edge.compiler, edge.asyncCompiler]) {
    const compile = compiler.compile.bind(compiler)
    const compiledByKey = new Map<string, ReturnType<typeof compile>>()
    compiler.compile = (templatePath, localVariables) => {
      if (!compiler.cacheManager.enabled) return compile(templatePath, localVariables)
      const key = localVariables ? `${templatePath}\u0000${localVariables.join(',')}` : templatePath
      let compiled = compiledByKey.get(key)
      if (!compiled) {
        compiled = compile(templatePath, localVariables)
        compiledByKey.set(key, compiled)
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
