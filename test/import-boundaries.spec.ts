import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';

/**
 * The layout rule as ESLint enforces it with the project's own type-checked config: the source is linted as if it
 * were the named file of the repository (an existing file, so the TypeScript project service knows it).
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const eslint = new ESLint({ cwd: root, overrideConfigFile: join(root, 'eslint.config.js') });

async function lint(path: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return result.messages;
}

const layout = (messages: Linter.LintMessage[]) =>
  messages.filter((m) => m.ruleId === 'layout/import-boundaries').map((m) => m.message);

// The first lint builds the TypeScript program of the whole repository.
beforeAll(() => lint('libs/identity/src/identity.module.ts', 'export {};\n'), 300_000);

describe('a lib importing an app', () => {
  it.each([
    ["import { AppModule } from '../../../apps/api/src/app.module.js';\nexport { AppModule };\n"],
    ["export * from '../../../apps/api/src/app.module.js';\n"],
    ["export const load = () => import('../../../apps/cli/src/domain-context.js');\n"],
    ["export type App = import('../../../apps/api/src/app.module.js').AppModule;\n"],
  ])('is refused: %s', async (code) => {
    expect(layout(await lint('libs/ledger/src/ledger.module.ts', code))).toEqual([
      expect.stringMatching(/^A lib \(ledger\) never imports an app/),
    ]);
  });

  it('is refused from the sandbox too', async () => {
    const code = "import { createApp } from '../apps/api/src/create-app.js';\nexport { createApp };\n";
    expect(layout(await lint('sandbox/index.ts', code))).toEqual([
      expect.stringMatching(/^The sandbox never imports an app/),
    ]);
  });
});

it('refuses an app importing another app', async () => {
  const code = "import { AppModule } from '../../api/src/app.module.js';\nexport { AppModule };\n";
  expect(layout(await lint('apps/cli/src/domain-context.ts', code))).toEqual([
    expect.stringMatching(/^An app never imports another app/),
  ]);
});

describe('a deep import of another lib', () => {
  it('is refused through @app/<lib>/...', async () => {
    const code =
      "import { OrganisationService } from '@app/identity/src/organisation.service.js';\nexport { OrganisationService };\n";
    expect(layout(await lint('libs/ledger/src/ledger.module.ts', code))).toEqual([
      "Import identity through '@app/identity', not the deep path '@app/identity/src/organisation.service.js'.",
    ]);
  });

  it('names the lib’s real second entry point when it has one', async () => {
    const code = "export { sealSecretKey } from '@app/he/keystore';\n";
    expect(layout(await lint('sandbox/index.ts', code))).toEqual([
      "Import he through '@app/he' or '@app/he/evaluation', not the deep path '@app/he/keystore'.",
    ]);
  });

  it('is refused through a relative path into its folder, from a lib or from outside', async () => {
    const code = "export { OrganisationService } from '../../identity/src/organisation.service.js';\n";
    expect(layout(await lint('libs/ledger/src/ledger.module.ts', code))).toEqual([
      "Import libs/identity through '@app/identity', not the relative path '../../identity/src/organisation.service.js'.",
    ]);
    const fromBench = "export type { Seal } from '../../libs/he/src/evaluation.js';\n";
    expect(layout(await lint('bench/he/bare-sum.ts', fromBench))).toEqual([
      "Import libs/he through '@app/he', not the relative path '../../libs/he/src/evaluation.js'.",
    ]);
  });
});

describe('legal imports pass', () => {
  it('a lib module importing other libs through their index, as it stands in the repository', async () => {
    const path = 'libs/identity/src/identity.module.ts';
    expect(await lint(path, readFileSync(join(root, path), 'utf8'))).toEqual([]);
  });

  it('the named second entry points and the lib’s own files', async () => {
    const code = [
      "export { loadSeal } from '@app/he/evaluation';",
      "export type * from '@app/ledger/core';",
      "export { SandboxWorkerModule } from '@app/platform/worker';",
      "export { DatabaseModule } from '@app/database';",
      "export { AccountService } from './account.service.js';",
      "export { IDENTITY_ENTITIES } from './entities/index.js';",
      '',
    ].join('\n');
    expect(layout(await lint('libs/identity/src/index.ts', code))).toEqual([]);
  });

  it('an app importing its own files and the libs', async () => {
    const path = 'apps/api/src/app.module.ts';
    expect(await lint(path, readFileSync(join(root, path), 'utf8'))).toEqual([]);
  });
});

it('refuses a @Global() module outside the platform’s CoreModule', async () => {
  const code =
    "import { Global, Module } from '@nestjs/common';\n@Global()\n@Module({})\nexport class LooseModule {}\n";
  expect((await lint('libs/jobs/src/jobs.module.ts', code)).map((m) => m.message)).toEqual([
    'No @Global() module: import the module whose providers you inject.',
  ]);
});
