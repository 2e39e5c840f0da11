import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import type { Command } from 'commander';
import { ApiClient } from '../api-client.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuid(what: string, id: string): string {
  if (!UUID.test(id)) throw new Error(`${id} is not a ${what} id (a UUID)`);
  return id.toLowerCase();
}

/** The exchange's refusal on stderr with exit code 1; a refusal by rule carries its article in the message. */
async function refused(what: string, response: Response): Promise<void> {
  const text = await response.text();
  let message = text;
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // not JSON: the text as it came
  }
  console.error(`exchange: ${what}: ${response.status} ${message}`);
  process.exitCode = 1;
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The hash the exchange announced: X-Content-SHA256, which must agree with Repr-Digest when both are sent. */
function announcedSha256(headers: Headers): string {
  const hex = headers.get('x-content-sha256')?.toLowerCase() ?? null;
  const digest = /sha-256=:([A-Za-z0-9+/=]+):/.exec(headers.get('repr-digest') ?? '')?.[1];
  const fromDigest = digest ? Buffer.from(digest, 'base64').toString('hex') : null;
  if (hex && fromDigest && hex !== fromDigest) {
    throw new Error(
      'the exchange announced two different hashes (X-Content-SHA256, Repr-Digest); nothing kept',
    );
  }
  const sha256 = hex ?? fromDigest;
  if (!sha256 || !/^[0-9a-f]{64}$/.test(sha256)) {
    throw new Error('the exchange announced no SHA-256 for the file, so it cannot be checked; nothing kept');
  }
  return sha256;
}

const UPLOAD_HELP = `
Streams the file to POST /v1/listings/{id}/files (application/octet-stream) after hashing it
locally; the exchange refuses bytes that do not hash to that SHA-256, so a file damaged on the
way is not kept. Prints the stored file as JSON (id, name, sizeBytes, sha256, mediaType). Uses
EXCHANGE_API_URL and EXCHANGE_TOKEN (the listing merchant's token).`;

const DOWNLOAD_HELP = `
Streams GET /v1/contracts/{id}/files/{fileId} to a temporary file beside --out, checks its
SHA-256 against the hash the exchange announced (X-Content-SHA256 / Repr-Digest), and only then
renames it to --out; on a mismatch it deletes what it received and exits 1. Each download is a
ledger entry (DS 16). Uses EXCHANGE_API_URL and EXCHANGE_TOKEN (the contract buyer's token).`;

export function fileCommands(program: Command): void {
  const file = program
    .command('file')
    .description('upload the files of a file-delivery listing; download them under a contract');

  file
    .command('upload')
    .description("upload a file of a file-delivery listing (the listing's merchant)")
    .requiredOption('--listing <id>', 'the listing id')
    .option('--name <name>', "the name buyers get (default: the file's own name)")
    .option('--media-type <type>', "its media type (default: from the name's extension)")
    .argument('<path>', 'the file')
    .addHelpText('after', UPLOAD_HELP)
    .action(async (path: string, options: { listing: string; name?: string; mediaType?: string }) => {
      const listingId = uuid('listing', options.listing);
      const info = await stat(path).catch((error: Error) => {
        throw new Error(`cannot read ${path}: ${error.message}`, { cause: error });
      });
      if (!info.isFile()) throw new Error(`${path} is not a file`);
      const sha256 = await sha256Of(path);
      const query = new URLSearchParams({
        name: options.name ?? basename(path),
        expectedSha256: sha256,
        ...(options.mediaType ? { mediaType: options.mediaType } : {}),
      });
      const response = await new ApiClient().fetchStream(
        'POST',
        `/v1/listings/${listingId}/files?${query.toString()}`,
        {
          body: Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>,
          headers: { 'content-type': 'application/octet-stream', 'content-length': String(info.size) },
        },
      );
      if (response.status !== 201) return refused('file upload', response);
      console.log(JSON.stringify(await response.json(), null, 2));
    });

  file
    .command('download')
    .description("download a file under a contract (the contract's buyer), checked against its hash")
    .requiredOption('--contract <id>', 'the contract id')
    .requiredOption('--file <fileId>', 'the file id (see `exchange file list --contract <id>`)')
    .requiredOption('--out <path>', 'where to write it')
    .option('--force', 'replace --out when it exists')
    .addHelpText('after', DOWNLOAD_HELP)
    .action(async (options: { contract: string; file: string; out: string; force?: boolean }) => {
      const contractId = uuid('contract', options.contract);
      const fileId = uuid('file', options.file);
      const out = resolve(options.out);
      if (!options.force && (await stat(out).catch(() => null))) {
        throw new Error(`${options.out} exists; choose another --out or pass --force`);
      }
      const response = await new ApiClient().fetchStream(
        'GET',
        `/v1/contracts/${contractId}/files/${fileId}`,
      );
      if (response.status !== 200 || !response.body) return refused('file download', response);
      const expected = announcedSha256(response.headers);
      const temporary = join(dirname(out), `.${basename(out)}.${randomBytes(6).toString('hex')}.part`);
      const hash = createHash('sha256');
      let sizeBytes = 0;
      try {
        await pipeline(
          Readable.fromWeb(response.body as ReadableStream<Uint8Array>),
          new Transform({
            transform(chunk: Buffer, _encoding, done) {
              hash.update(chunk);
              sizeBytes += chunk.length;
              done(null, chunk);
            },
          }),
          createWriteStream(temporary, { flags: 'wx', mode: 0o600, flush: true }),
        );
        const received = hash.digest('hex');
        if (received !== expected) {
          throw new Error(
            `the bytes received hash to ${received}, not to ${expected} as the exchange announced; ` +
              'nothing kept (download again, or tell the exchange’s operator)',
          );
        }
        await rename(temporary, out);
      } finally {
        await rm(temporary, { force: true });
      }
      console.log(JSON.stringify({ contractId, fileId, out, sizeBytes, sha256: expected }, null, 2));
    });

  file
    .command('list')
    .description("list a contract's files (and whether they may be downloaded now), or a listing's")
    .option('--contract <id>', 'the contract id')
    .option('--listing <id>', 'the listing id')
    .action(async (options: { contract?: string; listing?: string }) => {
      if ((options.contract === undefined) === (options.listing === undefined)) {
        throw new Error('name either --contract or --listing');
      }
      const path = options.contract
        ? `/v1/contracts/${uuid('contract', options.contract)}/files`
        : `/v1/listings/${uuid('listing', options.listing!)}/files`;
      const reply = await new ApiClient().get(path);
      if (reply.status === 200) {
        console.log(JSON.stringify(reply.body, null, 2));
        return;
      }
      const body = reply.body as { message?: unknown } | string;
      console.error(
        `exchange: file list: ${reply.status} ${typeof body === 'object' && body !== null ? String(body.message) : body}`,
      );
      process.exitCode = 1;
    });
}
