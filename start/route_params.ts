/**
 * Route parameters that are record ids: 1 to 2,147,483,647, the range of
 * an integer column. `router.matchers.number()` let any run of digits
 * through, and PostgreSQL answered /certificates/2147483648/verify with
 * "out of range for type integer", a 500 (found by the fuzz suite). An id
 * out of range now matches no route: 404, like any unknown id.
 */
const INT_ID =
  /^(?:[1-9]\d{0,8}|1\d{9}|20\d{8}|21[0-3]\d{7}|214[0-6]\d{6}|2147[0-3]\d{5}|21474[0-7]\d{4}|214748[0-2]\d{3}|2147483[0-5]\d{2}|21474836[0-3]\d|214748364[0-7])$/

export const ID_PARAM = { match: INT_ID, cast: (value: string) => Number(value) }
