import { createCipheriv, randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box.js';

const key = randomBytes(32);
const box = new SecretBox(key);

/** Seals like SecretBox.seal but with a GCM tag of `tagBytes`, as a forger who only has to match a short tag would. */
function sealWithTag(plaintext: string, context: string, tagBytes: number): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tagBytes });
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(
    '.',
  );
}

describe('SecretBox', () => {
  it('opens what it sealed, for the same context only', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'totp:a');
    expect(box.open(sealed, 'totp:a')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => box.open(sealed, 'totp:b')).toThrow();
  });

  it.each([4, 8, 12, 15])('refuses a tag of %i bytes even when it is the genuine truncated tag', (bytes) => {
    const short = sealWithTag('JBSWY3DPEHPK3PXP', 'totp:a', bytes);
    expect(() => box.open(short, 'totp:a')).toThrow(/tag must be 16 bytes/);
  });

  it('refuses a tag cut short after sealing, and a flipped tag bit', () => {
    const [version, iv, tag, body] = box.seal('secret', 'ctx').split('.');
    const cut = Buffer.from(tag, 'base64').subarray(0, 4).toString('base64');
    expect(() => box.open([version, iv, cut, body].join('.'), 'ctx')).toThrow(/tag must be 16 bytes/);
    const flipped = Buffer.from(tag, 'base64');
    flipped[0] ^= 1;
    expect(() => box.open([version, iv, flipped.toString('base64'), body].join('.'), 'ctx')).toThrow();
  });
});
