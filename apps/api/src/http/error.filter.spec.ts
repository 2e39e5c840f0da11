import { Logger, type ArgumentsHost } from '@nestjs/common';
import { AnchorConflictError, AnchorRejectedError, ChainError } from '@app/chain';
import { enforce } from '@app/core';
import { checkPrice } from '@app/compliance';
import { ErrorFilter } from './error.filter.js';

/** Runs the filter on one error and returns the status and body it sent. */
function answer(error: unknown): { status: number; body: Record<string, unknown> } {
  const sent: { status: number; body: Record<string, unknown> } = { status: 0, body: {} };
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    header: () => reply,
    send(body: Record<string, unknown>) {
      sent.body = body;
      return reply;
    },
  };
  const host = {
    switchToHttp: () => ({
      getRequest: () => ({ id: 'c0ffee00-0000-4000-8000-000000000000', method: 'GET' }),
      getResponse: () => reply,
    }),
  } as unknown as ArgumentsHost;
  new ErrorFilter().catch(error, host);
  return sent;
}

describe('the error filter', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('maps chain errors by kind, like every domain error, with their stable code', () => {
    expect(answer(new AnchorConflictError(5, '0xaa', '0xbb'))).toEqual({
      status: 409,
      body: {
        statusCode: 409,
        code: 'chain_anchor_conflict',
        message: expect.stringMatching(/tree size 5/),
        correlationId: 'c0ffee00-0000-4000-8000-000000000000',
      },
    });
    expect(answer(new AnchorRejectedError('NotAnchorer', 'not the anchorer')).status).toBe(403);
    expect(answer(new ChainError('unavailable', 'chain_unreachable', 'node down')).status).toBe(503);
    expect(answer(new ChainError('invalid', 'chain_bad_root', 'bad root')).status).toBe(400);
  });

  it('keeps the cause of a chain error for the log', () => {
    const cause = new Error('ECONNREFUSED');
    expect(new AnchorRejectedError('Paused', 'paused', { cause }).cause).toBe(cause);
  });

  it('answers a refusal by a rule with 422, its code, and the article that decided it', () => {
    const band = { category: 'traffic', minFen: 100n, maxFen: 200n, publicResourceFeeBasisPoints: 0 };
    let refusal: unknown;
    try {
      enforce(checkPrice({ mode: 'guided', priceFen: 201n, dataKinds: ['public'], band }));
    } catch (error) {
      refusal = error;
    }
    expect(answer(refusal)).toEqual({
      status: 422,
      body: {
        statusCode: 422,
        code: 'price_outside_band',
        message: 'DE 41: price 201 fen lies outside the band for traffic: 100 fen to 200 fen',
        article: 'DE 41',
        correlationId: 'c0ffee00-0000-4000-8000-000000000000',
      },
    });
  });
});
