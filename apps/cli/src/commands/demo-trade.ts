import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { INestApplicationContext } from '@nestjs/common';
import { Wallet } from 'ethers';
import type { Principal } from '@app/identity';
import { SettlementService } from '@app/settlement';
import {
  ContractDeliveryService,
  ContractFundingService,
  ContractSigningService,
  DeliveryFileService,
  NegotiationService,
  SigningAddressService,
  contractTypedData,
  type Contract,
  type Terms,
} from '@app/trading';

/** Who takes part in the demo trade. */
export interface DemoTradeParties {
  operator: Principal;
  merchant: Principal;
  buyer: Principal;
}

export interface DemoTradeReport {
  contractId: string;
  negotiationId: string;
  listingTitle: string;
  state: string;
  escrow: string;
  amountFen: string;
  fileId: string | null;
}

/** What the buyer asks for first; the merchant counters at the listing's price less a little. */
const DEMO_TERMS = (priceFen: bigint): Terms => ({
  purpose: '公交线网优化与站点选址分析（演示交易）',
  columns: [],
  recipes: [],
  delivery: 'file',
  billingUnit: 'one-off',
  priceFen,
  periodDays: 365,
  computations: null,
});

/** A small CSV the merchant delivers: boardings by line and hour, generated, the same every run. */
function ridershipCsv(): string {
  const rows = ['line,stop,hour,boardings'];
  for (let line = 1; line <= 6; line++)
    for (let stop = 1; stop <= 8; stop++)
      for (let hour = 6; hour <= 22; hour++)
        rows.push(`${line},${line * 100 + stop},${hour},${((line * 37 + stop * 11 + hour * 7) % 90) + 10}`);
  return rows.join('\n') + '\n';
}

/**
 * One complete trade on the transport listing (guided price, file delivery), so a newcomer finds a signed, funded,
 * delivered and settled contract: the buyer applies, the merchant counters, the buyer accepts; both parties register
 * a signing key by proof of possession and sign the contract's typed data; the operator records the buyer's deposit;
 * the buyer funds the escrow; the merchant uploads the file; the buyer downloads and checks it, then confirms
 * delivery, and the escrow is released
 * (platform fee, public-resource fee, the rights holders' shares). It goes through the same use cases as the API, so
 * every step is on the ledger. Idempotent: a run finds the trade of an earlier run and completes what is missing.
 * The signing keys are made for the run and not kept (sign later contracts with `exchange keystore new`).
 */
export async function seedDemoTrade(
  context: INestApplicationContext,
  parties: DemoTradeParties,
  listing: { id: string; title: string; priceFen: bigint },
): Promise<DemoTradeReport> {
  const negotiations = context.get(NegotiationService);
  const signing = context.get(ContractSigningService);
  const { buyer, merchant, operator } = parties;

  let contract = (await signing.list(buyer, { limit: 200 })).contracts.find(
    (c) => c.listingId === listing.id && c.endReason !== 'terminated',
  );
  if (!contract) {
    const applied = await negotiations.apply(buyer, {
      listingId: listing.id,
      terms: DEMO_TERMS((listing.priceFen * 9n) / 10n),
    });
    const id = applied.negotiation.id;
    const countered = await negotiations.counter(merchant, id, {
      basedOnVersion: applied.negotiation.version,
      terms: DEMO_TERMS((listing.priceFen * 95n) / 100n),
    });
    const agreed = await negotiations.accept(buyer, id, countered.negotiation.version);
    contract = await signing.get(buyer, agreed.negotiation.contractId!);
  }

  if (contract.state === 'awaiting_signatures') contract = await signBoth(context, contract, buyer, merchant);

  if (contract.state === 'signed') {
    await context
      .get(SettlementService)
      .deposit(`demo-trade/deposit/${contract.id}`, buyer.organisationId, contract.amountFen, {
        accountId: operator.accountId,
        organisationId: operator.organisationId,
      });
    contract = (
      await context
        .get(ContractFundingService)
        .fund(buyer, contract.id, `org:${buyer.organisationId}/demo-trade/fund/${contract.id}`)
    ).contract;
  }

  const files = context.get(DeliveryFileService);
  let file = (await files.forListing(merchant, listing.id))[0];
  if (!file)
    file = await files.upload(
      merchant,
      {
        listingId: listing.id,
        name: 'bus-ridership-2024-sample.csv',
        mediaType: 'text/csv',
        expectedSha256: null,
      },
      Readable.from([Buffer.from(ridershipCsv(), 'utf8')]),
    );

  if (contract.state === 'active' && contract.escrow === 'held') {
    // The buyer takes the file (a ledger entry, DS 16) and checks it before confirming: access ends with the
    // one-off contract's completion.
    const download = await files.download(buyer, contract.id, file.id);
    const hash = createHash('sha256');
    for await (const chunk of download.blob.stream()) hash.update(chunk as Buffer);
    await download.blob.close();
    if (`0x${hash.digest('hex')}` !== file.sha256)
      throw new Error('the demo file did not hash to its recorded value');
    contract = (await context.get(ContractDeliveryService).confirmDelivery(buyer, contract.id)).contract;
  }

  return {
    contractId: contract.id,
    negotiationId: contract.negotiationId,
    listingTitle: listing.title,
    state: contract.endReason ? `${contract.state} (${contract.endReason})` : contract.state,
    escrow: contract.escrow,
    amountFen: contract.amountFen.toString(),
    fileId: file?.id ?? null,
  };
}

/** Registers a fresh key for each party (proof of possession) and signs the contract's typed data with it. */
export async function signBoth(
  context: INestApplicationContext,
  contract: Contract,
  buyer: Principal,
  merchant: Principal,
): Promise<Contract> {
  const addresses = context.get(SigningAddressService);
  const signing = context.get(ContractSigningService);
  const typed = contractTypedData(contract);
  let signed = contract;
  for (const [party, done] of [
    [buyer, contract.buyerSignature],
    [merchant, contract.merchantSignature],
  ] as const) {
    if (done) continue;
    const key = Wallet.createRandom();
    const { message } = await addresses.challenge(party);
    await addresses.register(party, key.address, await key.signMessage(message));
    signed = await signing.sign(
      party,
      contract.id,
      await key.signTypedData(typed.domain, typed.types, typed.message),
    );
  }
  return signed;
}
