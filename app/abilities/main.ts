/*
|--------------------------------------------------------------------------
| Bouncer abilities
|--------------------------------------------------------------------------
|
| All authorisation lives in policies (app/policies); no loose abilities.
|
*/
export {}
