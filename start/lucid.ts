/*
|--------------------------------------------------------------------------
| Lucid
|--------------------------------------------------------------------------
|
| A belongsTo relation whose key is empty is set to null without a query,
| in every process (web, jobs, commands, tests): see lucid_preloads.ts.
|
*/
import { skipBelongsToReadsWithoutKeys } from '#services/lucid_preloads'

skipBelongsToReadsWithoutKeys()
