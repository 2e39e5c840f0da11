import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals small server-side secrets (TOTP seeds) with AES-256-GCM under the application key, and derives keyed
 * digests of personal identifiers so they can be unique-indexed without being stored in clear.
 * Precondition: `key` is 32 random bytes that never leave the server (see AppConfig.appSecretKey).
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('SecretBox key must be 32 bytes');
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      'v1',
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      body.toString('base64'),
    ].join('.');
  }

  /**
   * Throws when the box was changed or sealed for another context. The tag must be the full 16 bytes `seal` writes:
   * GCM would otherwise check a truncated tag, and a 4-byte tag is forged in about 2^32 tries.
   */
  open(sealed: string, context: string): string {
    const [version, iv, tag, body, extra] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined || extra !== undefined)
      throw new Error('not a sealed value');
    const ivBytes = Buffer.from(iv, 'base64');
    const tagBytes = Buffer.from(tag, 'base64');
    if (ivBytes.length !== IV_BYTES) throw new Error(`not a sealed value: the IV must be ${IV_BYTES} bytes`);
    if (tagBytes.length !== TAG_BYTES)
      throw new Error(`not a sealed value: the tag must be ${TAG_BYTES} bytes`);
    const decipher = createDecipheriv('aes-256-gcm', this.key, ivBytes, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
  }

  digest(value: string, context: string): string {
    return createHmac('sha256', this.key).update(context).update('\0').update(value).digest('hex');
  }
}
