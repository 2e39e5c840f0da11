import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/sql';
import { Listing } from '@app/catalog';
import { allowance } from '@app/compliance';
import {
  Clock,
  Conflict,
  DomainError,
  Forbidden,
  NotFound,
  RuleRefused,
  ValidationFailed,
  newId,
} from '@app/core';
import { guardAgainstDestruction } from '@app/blobs';
import { UnitOfWork } from '@app/database';
import { actorOf, isOverseer, type Principal } from '@app/identity';
import { LedgerRecorder } from '@app/ledger';
import { ContractReader, grantsAccess, sideOf } from './contract-reader.js';
import { DeliveryFileStore, SHA256_HEX, type OpenedBlob } from './delivery-file-store.js';
import { Contract } from './entities/contract.entity.js';
import { DeliveryFile } from './entities/delivery-file.entity.js';

/** What the merchant says about the bytes it streams. */
export interface DeliveryFileUpload {
  listingId: string;
  name: string;
  /** null: guessed from the name's extension, else application/octet-stream. */
  mediaType: string | null;
  /** 64 hex digits (a leading 0x and upper case are accepted); null: not checked. */
  expectedSha256: string | null;
}

/** A file a buyer may fetch now: the row, the contract it is fetched under and the opened bytes. */
export interface DeliveryFileDownload {
  file: DeliveryFile;
  contract: Contract;
  blob: OpenedBlob;
}

/** The files of a contract's listing and whether its buyer may download them now. */
export interface ContractFiles {
  contract: Contract;
  accessGranted: boolean;
  files: DeliveryFile[];
}

/** Listing states in which the merchant may still add files: not the final ones. */
const CLOSED_LISTING = new Set(['rejected', 'withdrawn']);

const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,49}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,49}$/;

const MEDIA_TYPES_BY_EXTENSION: Record<string, string> = {
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  txt: 'text/plain',
  json: 'application/json',
  ndjson: 'application/x-ndjson',
  jsonl: 'application/x-ndjson',
  xml: 'application/xml',
  parquet: 'application/vnd.apache.parquet',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  xls: 'application/vnd.ms-excel',
  zip: 'application/zip',
  gz: 'application/gzip',
  tar: 'application/x-tar',
  pdf: 'application/pdf',
  sqlite: 'application/vnd.sqlite3',
};

/** The 64-hex form of a SHA-256 as the store names it, from the database's `0x…` column. */
export const hexOf = (file: DeliveryFile): string => file.sha256.slice(2);

// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/u;

/** Why a file name is refused, or undefined: it becomes a download's file name on the buyer's disk. */
export function fileNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > 255) return 'the file name must be 1 to 255 characters';
  if (/[\uD800-\uDFFF]/u.test(name)) return 'the file name is not well-formed Unicode';
  if (CONTROL.test(name)) return 'the file name may hold no control characters';
  if (/[/\\]/.test(name)) return 'the file name may not contain / or \\ (it names a file, not a path)';
  if (name === '.' || name === '..') return 'the file name may not be . or ..';
  if (name.trim() !== name) return 'the file name may not begin or end with white space';
  return undefined;
}

/**
 * File delivery (issue 10 item 5): the merchant of a file-delivery listing uploads files, kept under DATA_DIR by
 * their SHA-256 (`DeliveryFileStore`); a contract's buyer downloads them while the contract grants access. Every
 * upload (`delivery.fileUploaded`) and every download (`delivery.downloaded`, DS 16: downloads are audited) is a
 * ledger entry; the download's is committed before the first byte is sent.
 */
@Injectable()
export class DeliveryFileService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: LedgerRecorder,
    private readonly clock: Clock,
    private readonly store: DeliveryFileStore,
    private readonly contracts: ContractReader,
  ) {}

  get maxBytes(): number {
    return this.store.maxBytes;
  }

  /**
   * Checks who and where before a byte is read, streams `body` into the store, then records the file and its ledger
   * entry in one transaction (checking the listing again). A refusal after the bytes landed leaves an unreferenced
   * blob, which is never served (see docs/file-delivery.md). Bytes a destruction of the same content is removing
   * meanwhile are 409 `bytes_being_destroyed` or `bytes_destroyed`: sent again, they are stored afresh.
   */
  async upload(
    principal: Principal,
    input: DeliveryFileUpload,
    body: AsyncIterable<Uint8Array>,
  ): Promise<DeliveryFile> {
    const problem = fileNameProblem(input.name);
    if (problem) throw new ValidationFailed(problem, 'invalid_file_name');
    const mediaType = DeliveryFileService.mediaTypeOf(input);
    const expected = DeliveryFileService.expectedHash(input.expectedSha256);
    await this.uow.read((em) => this.uploadable(em, principal, input.listingId));
    const blob = await this.store.put(body, expected);
    return this.uow.run(async (em) => {
      await this.uploadable(em, principal, input.listingId);
      await guardAgainstDestruction(em, 'delivery-files', blob.sha256, this.store);
      const sha256 = `0x${blob.sha256}`;
      const existing = await em.findOne(DeliveryFile, { listingId: input.listingId, sha256 });
      if (existing) {
        throw new Conflict(
          `these bytes are already on the listing as file ${existing.id} (${existing.name})`,
          'file_already_uploaded',
        );
      }
      const file = em.create(DeliveryFile, {
        id: newId(),
        listingId: input.listingId,
        organisationId: principal.organisationId,
        name: input.name,
        mediaType,
        sizeBytes: BigInt(blob.sizeBytes),
        sha256,
        uploadedByAccountId: principal.accountId,
        createdAt: this.clock.now(),
      });
      await em.flush();
      await this.ledger.record(em, [
        {
          actor: actorOf(principal),
          action: 'delivery.fileUploaded',
          subjectIds: [file.id, input.listingId],
          payload: {
            listingId: input.listingId,
            fileId: file.id,
            name: file.name,
            mediaType,
            sizeBytes: blob.sizeBytes,
            sha256: blob.sha256,
          },
        },
      ]);
      return file;
    });
  }

  /** A listing's files: for its merchant, the overseers, and buyers with a contract that grants access now. */
  async forListing(principal: Principal, listingId: string): Promise<DeliveryFile[]> {
    return this.uow.read(async (em) => {
      const listing = await em.findOne(Listing, { id: listingId });
      const merchant = listing?.organisationId === principal.organisationId;
      if (!listing || (listing.status !== 'published' && !merchant && !isOverseer(principal))) {
        throw new NotFound('listing');
      }
      DeliveryFileService.requireFileDelivery(listing);
      if (!merchant && !isOverseer(principal)) {
        const contracts = await em.find(Contract, {
          listingId,
          buyerOrganisationId: principal.organisationId,
          state: 'active',
        });
        if (!contracts.some((c) => grantsAccess(c, this.clock.now()))) {
          throw new Forbidden(
            "a listing's files are shown to its merchant, the overseers and buyers whose contract on it is active",
            'no_active_contract',
          );
        }
      }
      return DeliveryFileService.filesOf(em, listingId);
    });
  }

  /** The files of a contract's listing, for its parties and the overseers (others: 404). */
  async forContract(principal: Principal, contractId: string): Promise<ContractFiles> {
    return this.uow.read(async (em) => {
      const contract = await this.contracts.visible(contractId, principal, em);
      DeliveryFileService.requireFileTerms(contract);
      return {
        contract,
        accessGranted: grantsAccess(contract, this.clock.now()),
        files: await DeliveryFileService.filesOf(em, contract.listingId),
      };
    });
  }

  /**
   * Opens a file for the contract's buyer and, unless `record` is false (a HEAD request: headers only, no bytes),
   * commits its `delivery.downloaded` ledger entry before returning. Refusals: not a party 404, not the buyer 403,
   * a compute contract 422 (DS 58), a file of another listing 404, no access now 409. The caller must stream or
   * close the returned blob.
   */
  async download(
    principal: Principal,
    contractId: string,
    fileId: string,
    record = true,
  ): Promise<DeliveryFileDownload> {
    let blob: OpenedBlob | undefined;
    try {
      return await this.uow.run(async (em) => {
        const contract = await this.contracts.visible(contractId, principal, em);
        if (sideOf(contract, principal.organisationId) !== 'buyer') {
          throw new Forbidden("only the contract's buyer downloads its files", 'not_the_buyer');
        }
        DeliveryFileService.requireFileTerms(contract);
        const file = await em.findOne(DeliveryFile, { id: fileId, listingId: contract.listingId });
        if (!file) throw new NotFound('file');
        this.requireAccess(contract);
        blob = await this.store.open(hexOf(file), Number(file.sizeBytes));
        if (record) {
          await this.ledger.record(em, [
            {
              actor: actorOf(principal),
              action: 'delivery.downloaded',
              subjectIds: [contract.id, file.id, contract.listingId],
              payload: {
                contractId: contract.id,
                fileId: file.id,
                listingId: contract.listingId,
                buyerOrganisationId: contract.buyerOrganisationId,
                name: file.name,
                sizeBytes: Number(file.sizeBytes),
                sha256: hexOf(file),
              },
            },
          ]);
        }
        return { file, contract, blob };
      });
    } catch (error) {
      await blob?.close();
      throw error;
    }
  }

  private requireAccess(contract: Contract): void {
    const now = this.clock.now();
    if (grantsAccess(contract, now)) return;
    if (contract.endReason === 'data_destroyed') {
      throw new DomainError(
        'not_found',
        'data_destroyed',
        "the listing's data was destroyed at its holder's request (DS 37); its files are gone and the contract ended",
      );
    }
    if (contract.state === 'active' && contract.endsAt) {
      throw new Conflict(
        `the contract's period of use ended at ${contract.endsAt.toISOString()}; its files are no longer available`,
        'access_ended',
      );
    }
    throw new Conflict(
      `the contract is ${contract.state}; its files can be downloaded only while it is active (signed and ` +
        'funded) and within its period of use',
      'contract_not_active',
    );
  }

  /** The merchant's own listing (else 404, or 403 for one it can see), offering file delivery, not closed. */
  private async uploadable(em: EntityManager, principal: Principal, listingId: string): Promise<Listing> {
    const listing = await em.findOne(Listing, { id: listingId });
    const merchant = listing?.organisationId === principal.organisationId;
    if (!listing || (listing.status !== 'published' && !merchant && !isOverseer(principal))) {
      throw new NotFound('listing');
    }
    if (!merchant) throw new Forbidden("only the listing's merchant uploads its files", 'not_the_merchant');
    DeliveryFileService.requireFileDelivery(listing);
    if (CLOSED_LISTING.has(listing.status)) {
      throw new Conflict(`the listing is ${listing.status}; no files can be added to it`, 'listing_closed');
    }
    return listing;
  }

  /** A compute-only listing delivers no files: DS 58 (or DE 31) for data that may not leave, DS 58 otherwise. */
  private static requireFileDelivery(listing: Listing): void {
    if (listing.delivery === 'file') return;
    const modes = allowance(listing.level, listing.openAttribute).deliveryModes;
    const article = modes.modes.includes('file') ? 'DS 58' : modes.article;
    throw new RuleRefused(
      article,
      'not_file_delivery',
      modes.modes.includes('file')
        ? 'the listing delivers by computation only (its method of transaction); it has no files'
        : `${listing.openAttribute} data is delivered by computation only, never as a file`,
    );
  }

  private static requireFileTerms(contract: Contract): void {
    if (contract.terms.delivery === 'file') return;
    throw new RuleRefused(
      'DS 58',
      'not_file_delivery',
      'the contract delivers by computation only (its method of transaction); it has no files',
    );
  }

  private static filesOf(em: EntityManager, listingId: string): Promise<DeliveryFile[]> {
    return em.find(DeliveryFile, { listingId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  private static mediaTypeOf(input: DeliveryFileUpload): string {
    if (input.mediaType !== null) {
      const type = input.mediaType.toLowerCase();
      if (!MEDIA_TYPE.test(type)) {
        throw new ValidationFailed('mediaType must be a media type such as text/csv', 'invalid_media_type');
      }
      return type;
    }
    const extension = /\.([A-Za-z0-9]{1,10})$/.exec(input.name)?.[1].toLowerCase();
    return (extension && MEDIA_TYPES_BY_EXTENSION[extension]) || 'application/octet-stream';
  }

  private static expectedHash(raw: string | null): string | null {
    if (raw === null) return null;
    const hex = raw.replace(/^0x/i, '').toLowerCase();
    if (!SHA256_HEX.test(hex)) {
      throw new ValidationFailed('expectedSha256 must be 64 hex digits (a SHA-256)', 'invalid_sha256');
    }
    return hex;
  }
}
