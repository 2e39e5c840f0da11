import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

/** Constraints that check a value's JSON type, and the type they expect. */
const TYPE_CHECKS: Record<string, string> = {
  isInt: 'an integer',
  isNumber: 'a number',
  isString: 'a string',
  isBoolean: 'a boolean',
  isArray: 'an array',
  isObject: 'an object',
};

function sent(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isNaN(value) ? 'text that is not a number' : String(value);
  if (typeof value === 'string')
    return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/**
 * One message per wrong field. When the value has the wrong type (a number sent as a string, say), the message
 * says exactly that, instead of every range and format rule the value also fails.
 */
function describe(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const constraints = e.constraints ?? {};
    const typeCheck = Object.keys(constraints).find((name) => name in TYPE_CHECKS);
    let own: string[];
    if (typeCheck && e.value === undefined) {
      const message = constraints[typeCheck];
      own = [
        message.startsWith(e.property) ? `${parent ? `${parent}.` : ''}${message}` : `${path}: ${message}`,
      ];
    } else if (typeCheck) {
      own = [`${path} must be ${TYPE_CHECKS[typeCheck]}; got ${sent(e.value)}`];
    } else {
      own = Object.values(constraints).map((m) =>
        m.startsWith(e.property) ? `${parent ? `${parent}.` : ''}${m}` : `${path}: ${m}`,
      );
    }
    return [...own, ...describe(e.children ?? [], path)];
  });
}

/** Whitelist, refuse unknown fields, convert types; a 400 whose message names each wrong field. */
export const validationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  stopAtFirstError: false,
  exceptionFactory: (errors) =>
    new BadRequestException({
      code: 'validation_failed',
      message: describe(errors).join('; ') || 'invalid request',
    }),
});
