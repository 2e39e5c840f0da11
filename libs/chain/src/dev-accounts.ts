import { HDNodeWallet, Mnemonic } from 'ethers';

/** Anvil's (and Hardhat's) public development mnemonic. Its keys hold value on no real chain; never reuse them. */
export const ANVIL_DEV_MNEMONIC = 'test test test test test test test test test test test junk';

/** A funded account on a local dev chain. `privateKey` is non-enumerable so logging the object does not print it. */
export interface DevAccount {
  readonly address: string;
  readonly privateKey: string;
}

/**
 * Derives the first `count` accounts (m/44'/60'/0'/0/i) of a mnemonic, as anvil does.
 * Precondition: count is a non-negative integer.
 */
export function deriveDevAccounts(count: number, phrase: string = ANVIL_DEV_MNEMONIC): DevAccount[] {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`account count must be an integer >= 0: ${count}`);
  const mnemonic = Mnemonic.fromPhrase(phrase);
  return Array.from({ length: count }, (_, i) => {
    const wallet = HDNodeWallet.fromMnemonic(mnemonic, `m/44'/60'/0'/0/${i}`);
    const account = { address: wallet.address } as { address: string; privateKey: string };
    Object.defineProperty(account, 'privateKey', { value: wallet.privateKey, enumerable: false });
    return Object.freeze(account);
  });
}
