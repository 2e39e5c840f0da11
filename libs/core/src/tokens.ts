/** Injection token of the validated AppConfig (a symbol, so core needs no Nest). */
export const APP_CONFIG = Symbol('APP_CONFIG');
