/**
 * Types for proxy-addr (installed with @adonisjs/http-server, which ships
 * no declarations for it): only `compile`, the function config/app.ts uses.
 */
declare module 'proxy-addr' {
  type TrustFunction = (address: string, hop: number) => boolean
  const proxyAddr: {
    compile(value: string | string[]): TrustFunction
  }
  export default proxyAddr
}
