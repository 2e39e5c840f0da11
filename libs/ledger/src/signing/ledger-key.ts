import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Wallet } from 'ethers';
import { writeFileAtomically, type AppConfig, type SecretBox } from '@app/core';
import { decryptKeystore, encryptKeystore, type KeystoreV3 } from './keystore.js';

/**
 * The exchange's ledger key: opened from its encrypted keystore at start, created there on first start. The
 * password comes from LEDGER_KEYSTORE_PASSWORD; without it, from the application key, which suits the embedded
 * default only (both files then sit in DATA_DIR). The key never reaches the database or a log.
 */
export async function loadLedgerKey(config: AppConfig, box: SecretBox): Promise<Wallet> {
  const password = config.ledger.keystorePassword ?? box.digest('ledger keystore', 'keystore-password');
  const path = config.ledger.keystorePath;
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const keystore = await encryptKeystore(new Wallet(Wallet.createRandom().privateKey), password);
    try {
      writeFileAtomically(path, JSON.stringify(keystore, null, 2), { mode: 0o600, exclusive: true });
    } catch (error) {
      // Another process created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return decryptKeystore(JSON.parse(readFileSync(path, 'utf8')) as KeystoreV3, password);
}
