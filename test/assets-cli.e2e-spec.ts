import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/run-cli.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { World, type Party } from './support/world.js';
import type { HttpClient } from './support/http-client.js';
import { assetBody } from './support/asset-fixtures.js';

let t: TestApp;
let world: World;
let operator: HttpClient;
let merchant: Party;
let token: string;
let signer: string;
const dir = mkdtempSync(join(tmpdir(), 'assets-cli-'));

/** The CLI as the merchant runs it: its API token, the test's API. */
const cli = (args: string[]) => runCli(args, { EXCHANGE_API_URL: t.baseUrl, EXCHANGE_TOKEN: token });

beforeAll(async () => {
  t = await startTestApp();
  world = new World(t);
  operator = await world.operatorProgramme();
  merchant = await world.party(['merchant'], operator);
  token = (
    await merchant.client.post('/v1/tokens', { name: 'cli', scopes: ['merchant:write'], expiresInDays: 30 })
  ).body.token;
  signer = (await world.anonymous.get('/v1/certificates/signing')).body.signerAddress;
});
afterAll(() => t.close());

describe('exchange asset and exchange cert', () => {
  let id: string;
  let certificateFile: string;

  it('registers and submits an asset from a file, and shows its status', async () => {
    const file = join(dir, 'asset.json');
    writeFileSync(file, JSON.stringify(assetBody(merchant.organisationId)));
    const registered = await cli(['asset', 'register', '--file', file]);
    expect(registered.stderr).toBe('');
    expect(registered.code).toBe(0);
    const out = JSON.parse(registered.stdout);
    expect(out).toMatchObject({ status: 'submitted', level: 'general' });
    id = out.id;
    expect((await operator.post(`/v1/assets/${id}/review`, { decision: 'approve' })).status).toBe(200);
    const status = await cli(['asset', 'status', id]);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      status: 'registered',
      registrationNumber: expect.stringMatching(/^HDDE-/),
      reviews: [expect.objectContaining({ decision: 'approve' })],
    });
  });

  it('reports a refusal with its article and a non-zero exit', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify(
        assetBody(merchant.organisationId, {
          classification: { affectedObject: 'public-interest', harm: 'serious' },
          declaredLevel: 'general',
        }),
      ),
    );
    const refused = await cli(['asset', 'register', '--file', file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/422 DS 21: /);
  });

  it('verifies a certificate offline, naming the signer, and with the exchange', async () => {
    const certificate = (await merchant.client.get(`/v1/assets/${id}/certificate`)).body;
    certificateFile = join(dir, 'cert.json');
    writeFileSync(certificateFile, JSON.stringify(certificate, null, 2));
    const offline = await cli(['cert', 'verify', certificateFile, '--signer', signer]);
    expect(offline.code).toBe(0);
    expect(JSON.parse(offline.stdout)).toMatchObject({ genuine: true, signer, signerChecked: true });
    const online = await runCli(['cert', 'verify', certificateFile, '--api', t.baseUrl]);
    expect(online.code).toBe(0);
    expect(JSON.parse(online.stdout).exchange).toMatchObject({ valid: true, status: 'registered' });
  });

  it('refuses the file with a byte changed, or signed by another key than --signer', async () => {
    const text = readFileSync(certificateFile, 'utf8');
    const changed = join(dir, 'changed.json');
    writeFileSync(changed, text.replace('"rowCount": 1200000', '"rowCount": 1200001'));
    const refused = await cli(['cert', 'verify', changed]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({
      valid: false,
      reason: expect.stringMatching(/factsHash/),
    });
    const wrongSigner = await cli(['cert', 'verify', certificateFile, '--signer', '0x' + '11'.repeat(20)]);
    expect(wrongSigner.code).toBe(1);
    expect(JSON.parse(wrongSigner.stdout).reason).toContain(signer);
  });

  it('says cancelled for a cancelled registration', async () => {
    await operator.post(`/v1/assets/${id}/cancel`, { reason: '注销' });
    const online = await cli(['cert', 'verify', certificateFile, '--api', t.baseUrl]);
    expect(online.code).toBe(1);
    expect(JSON.parse(online.stdout).exchange).toMatchObject({ valid: false, status: 'cancelled' });
    const reissued = join(dir, 'cancelled.json');
    writeFileSync(reissued, JSON.stringify((await merchant.client.get(`/v1/assets/${id}/certificate`)).body));
    const offline = await cli(['cert', 'verify', reissued, '--signer', signer]);
    expect(offline.code).toBe(1);
    expect(JSON.parse(offline.stdout)).toMatchObject({ genuine: true, status: 'cancelled' });
  });
});
