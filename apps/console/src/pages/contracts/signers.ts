import {
  TypedDataEncoder,
  Wallet,
  getAddress,
  hexlify,
  toUtf8Bytes,
  verifyMessage,
  verifyTypedData,
} from 'ethers';
import type { ContractTypedData } from '@app/trading/core';

/**
 * A key the person holds, usable in this tab only: a keystore opened in memory, or an injected EIP-1193 wallet.
 * Nothing of the key is stored or sent; only signatures leave the browser.
 */
export interface BrowserSigner {
  kind: 'keystore' | 'wallet';
  address: string;
  /** EIP-191 personal signature over the text (the signing-address challenge). */
  signMessage(text: string): Promise<string>;
  /** EIP-712 signature over the typed data (eth_signTypedData_v4). */
  signTypedData(data: ContractTypedData): Promise<string>;
}

/** Opens a keystore JSON (Web3 Secret Storage) with its password, in memory. */
export async function openKeystore(json: string, password: string): Promise<BrowserSigner> {
  const wallet = await Wallet.fromEncryptedJson(json, password);
  return {
    kind: 'keystore',
    address: getAddress(wallet.address),
    signMessage: (text) => wallet.signMessage(text),
    signTypedData: (d) => wallet.signTypedData(d.domain, d.types, d.message),
  };
}

interface Eip1193Provider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

/** The wallet extension's provider (MetaMask and the like), if the browser has one. */
export function injectedProvider(): Eip1193Provider | null {
  const candidate = (window as unknown as { ethereum?: Eip1193Provider }).ethereum;
  return candidate && typeof candidate.request === 'function' ? candidate : null;
}

/** Asks the injected wallet for its account; signatures are then asked of the wallet, which shows what it signs. */
export async function connectInjected(): Promise<BrowserSigner> {
  const provider = injectedProvider();
  if (!provider) throw new Error('no EIP-1193 wallet (window.ethereum)');
  const accounts = (await provider.request({ method: 'eth_requestAccounts' })) as string[];
  if (!accounts?.length) throw new Error('the wallet gave no account');
  const address = getAddress(accounts[0]);
  return {
    kind: 'wallet',
    address,
    signMessage: async (text) =>
      (await provider.request({
        method: 'personal_sign',
        params: [hexlify(toUtf8Bytes(text)), address],
      })) as string,
    signTypedData: async (d) =>
      (await provider.request({
        method: 'eth_signTypedData_v4',
        // The JSON-RPC payload: EIP712Domain spelled out, values as the wallet takes them.
        params: [address, JSON.stringify(TypedDataEncoder.getPayload(d.domain, d.types, d.message))],
      })) as string,
  };
}

/** Who made a personal signature over the text (checked before anything is sent). */
export const personalSigner = (text: string, signature: string): string =>
  getAddress(verifyMessage(text, signature));

/** Who made an EIP-712 signature over the typed data. */
export const typedDataSigner = (d: ContractTypedData, signature: string): string =>
  getAddress(verifyTypedData(d.domain, d.types, d.message, signature));
