import { readFileSync } from 'node:fs';
import { isAddress } from 'ethers';
import { InvalidArgumentError, type Command } from 'commander';
import { verifyCertificateText } from '@app/assets/core';
import { ApiClient } from '../api-client.js';

const VERIFY_HELP = `
Checks, offline: the document's form; that factsHash is SHA-256 of the RFC 8785 canonical JSON of
its facts; that the EIP-712 signature over {registrationNumber, assetId, version, status,
factsHash, ledgerIndex, issuedAt} recovers to the stated signer, and to --signer when given
(the exchange's address: GET /v1/certificates/signing). It prints the signer's address.
With --api it also asks the exchange whether the registration is in force at this version
(a cancelled, suspended or superseded certificate is then reported as such).

Exit codes:
  0  genuine (and, with --api, in force)
  1  not genuine, or with --api not in force (cancelled, suspended, superseded, unknown)
  2  usage or I/O error`;

function address(value: string): string {
  if (!isAddress(value)) throw new InvalidArgumentError('must be a 0x-prefixed address');
  return value;
}

export function certCommands(program: Command): void {
  const cert = program.command('cert').description('verify registration certificates of data assets');
  cert
    .command('verify')
    .description(
      'verify a registration certificate offline (signature and facts hash), optionally with the exchange',
    )
    .argument('<file>', 'the certificate, as GET /v1/assets/{id}/certificate returned it')
    .option('--signer <0x…>', "the exchange's certificate signing address", address)
    .option(
      '--api <url>',
      'also ask this exchange whether the registration is in force (POST /v1/certificates/verify)',
    )
    .addHelpText('after', VERIFY_HELP)
    .action(async (file: string, options: { signer?: string; api?: string }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        console.error(`exchange: cannot read ${file}: ${(error as Error).message}`);
        process.exitCode = 2;
        return;
      }
      const verdict = verifyCertificateText(text, options.signer);
      if (!verdict.ok) {
        console.log(
          JSON.stringify(
            { valid: false, status: 'invalid', reason: verdict.reason, signer: verdict.signer ?? null },
            null,
            2,
          ),
        );
        process.exitCode = 1;
        return;
      }
      const c = verdict.certificate;
      const offline = {
        genuine: true,
        signer: verdict.signer,
        signerChecked: options.signer !== undefined,
        registrationNumber: c.registrationNumber,
        assetId: c.assetId,
        version: c.version,
        status: c.status,
        issuedAt: c.issuedAt,
        ledgerIndex: c.ledgerIndex,
        factsHash: c.factsHash,
      };
      if (!options.api) {
        console.log(JSON.stringify(offline, null, 2));
        if (c.status !== 'registered') process.exitCode = 1;
        return;
      }
      const reply = await new ApiClient(options.api).post('/v1/certificates/verify', JSON.parse(text));
      const online = reply.body as { valid?: boolean; status?: string; reason?: string };
      console.log(JSON.stringify({ ...offline, exchange: online }, null, 2));
      if (reply.status !== 200 || online.valid !== true) process.exitCode = 1;
    });
}
