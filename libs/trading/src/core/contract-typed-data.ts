import { getAddress, verifyTypedData, type TypedDataField } from 'ethers';
import type { TermsJson } from './terms.js';

/** EIP-712 domain of contract signatures; no chainId, like certificates and tree heads: a contract is on no chain. */
export const CONTRACT_DOMAIN = Object.freeze({ name: 'DataExchangeContract', version: '1' });

export const CONTRACT_PRIMARY_TYPE = 'DataContract';

export const CONTRACT_TYPES: Record<string, TypedDataField[]> = Object.freeze({
  DataContract: [
    { name: 'contractId', type: 'string' },
    { name: 'negotiationId', type: 'string' },
    { name: 'version', type: 'uint32' },
    { name: 'listingId', type: 'string' },
    { name: 'buyer', type: 'string' },
    { name: 'merchant', type: 'string' },
    { name: 'termsHash', type: 'bytes32' },
    { name: 'purpose', type: 'string' },
    { name: 'columns', type: 'string[]' },
    { name: 'recipes', type: 'string[]' },
    { name: 'delivery', type: 'string' },
    { name: 'billingUnit', type: 'string' },
    { name: 'priceFen', type: 'uint256' },
    { name: 'computations', type: 'uint32' },
    { name: 'periodDays', type: 'uint32' },
    { name: 'amountFen', type: 'uint256' },
    { name: 'clauses', type: 'string[]' },
  ],
});

/** What of a contract its typed data states: everything both parties agree to, nothing that changes later. */
export interface ContractFacts {
  id: string;
  negotiationId: string;
  version: number;
  listingId: string;
  buyerOrganisationId: string;
  merchantOrganisationId: string;
  terms: TermsJson;
  termsHash: string;
  amountFen: bigint;
  clauses: readonly { code: string }[];
}

export type ContractMessage = Record<string, string | number | string[]>;

/** Exactly what `eth_signTypedData_v4` takes (the `EIP712Domain` type is implied by `domain`, as ethers expects). */
export interface ContractTypedData {
  domain: { name: string; version: string };
  types: Record<string, TypedDataField[]>;
  primaryType: string;
  message: ContractMessage;
}

/** The message both parties sign. Money and counts are decimal strings, as JSON-RPC signers take uint256. */
export function contractMessage(c: ContractFacts): ContractMessage {
  return {
    contractId: c.id,
    negotiationId: c.negotiationId,
    version: c.version,
    listingId: c.listingId,
    buyer: c.buyerOrganisationId,
    merchant: c.merchantOrganisationId,
    termsHash: c.termsHash,
    purpose: c.terms.purpose,
    columns: [...c.terms.columns],
    recipes: [...c.terms.recipes],
    delivery: c.terms.delivery,
    billingUnit: c.terms.billingUnit,
    priceFen: c.terms.priceFen,
    computations: c.terms.computations ?? 0,
    periodDays: c.terms.periodDays,
    amountFen: c.amountFen.toString(),
    clauses: c.clauses.map((k) => k.code),
  };
}

export function contractTypedData(c: ContractFacts): ContractTypedData {
  return {
    domain: { ...CONTRACT_DOMAIN },
    types: { DataContract: CONTRACT_TYPES.DataContract.map((f) => ({ ...f })) },
    primaryType: CONTRACT_PRIMARY_TYPE,
    message: contractMessage(c),
  };
}

/**
 * The checksummed address that made `signature` over this contract's typed data, or null when the signature is
 * malformed. A signature over other terms or another contract recovers some other address, never the signer's.
 */
export function recoverContractSigner(c: ContractFacts, signature: string): string | null {
  try {
    return getAddress(verifyTypedData(CONTRACT_DOMAIN, CONTRACT_TYPES, contractMessage(c), signature));
  } catch {
    return null;
  }
}
