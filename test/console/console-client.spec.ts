import { jest } from '@jest/globals';
/**
 * The console's typed client is generated from the API's OpenAPI document (`npm run openapi`). This fails when the
 * API's routes or response shapes changed and the committed document was not regenerated: the console would then be
 * compiled against an API that no longer exists.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_API_DIR, openApiDocument } from '../../scripts/openapi.js';

jest.setTimeout(60_000);

it('the committed OpenAPI document is the API’s own: run `npm run openapi` after changing a route', async () => {
  const committed = JSON.parse(readFileSync(join(CONSOLE_API_DIR, 'openapi.json'), 'utf8'));
  expect(await openApiDocument()).toEqual(committed);
});

it('documents every field with its type: only free JSON values are bare objects, so the client is typed end to end', async () => {
  const { components } = JSON.parse(readFileSync(join(CONSOLE_API_DIR, 'openapi.json'), 'utf8'));
  const FREE_JSON = [
    'LedgerEntryResponse.payload',
    'LedgerEntryWithProofResponse.payload',
    'CreateComputationDto.params',
    'EvaluationBundleDto.params',
  ];
  const bare = Object.entries(
    components.schemas as Record<string, { properties?: Record<string, any> }>,
  ).flatMap(([schema, { properties = {} }]) =>
    Object.entries(properties)
      .filter(
        ([, p]) => p.type === 'object' && !p.properties && !p.additionalProperties && !p.$ref && !p.allOf,
      )
      .map(([name]) => `${schema}.${name}`),
  );
  expect(bare.filter((name) => !FREE_JSON.includes(name))).toEqual([]);
});
