import {
  contractTypedData,
  termsFromJson,
  termsHash,
  type ContractTypedData,
  type TermsJson,
} from '@app/trading/core';

/** What of a served contract its typed data comes from (a ContractResponse; no import, so Node tests load this too). */
export interface SignableContract {
  id: string;
  negotiationId: string;
  version: number;
  listingId: string;
  buyerOrganisationId: string;
  merchantOrganisationId: string;
  terms: TermsJson;
  termsHash: string;
  amountFen: string;
  clauses: { code: string }[];
  typedData: unknown;
}

/**
 * The typed data to sign, built here from the contract's own fields by the exchange's rule (`contractTypedData`),
 * with the problems found when the server's copy or its terms hash says otherwise. What is shown is what is signed.
 */
export function typedDataToSign(c: SignableContract): { typedData: ContractTypedData; problems: string[] } {
  const terms: TermsJson = c.terms;
  const typedData = contractTypedData({
    id: c.id,
    negotiationId: c.negotiationId,
    version: c.version,
    listingId: c.listingId,
    buyerOrganisationId: c.buyerOrganisationId,
    merchantOrganisationId: c.merchantOrganisationId,
    terms,
    termsHash: c.termsHash,
    amountFen: BigInt(c.amountFen),
    clauses: c.clauses,
  });
  const problems: string[] = [];
  const recomputed = termsHash(termsFromJson(terms));
  if (recomputed !== c.termsHash) problems.push(`termsHash ${recomputed} ≠ ${c.termsHash}`);
  if (JSON.stringify(typedData) !== JSON.stringify(c.typedData)) problems.push('typedData');
  return { typedData, problems };
}
