import { ApiProperty } from '@nestjs/swagger';

const HASHES = ['sha256', 'sm3'];

class Eip712DomainResponse {
  @ApiProperty({ example: 'DataExchangeLedger' })
  name!: string;

  @ApiProperty({ example: '1' })
  version!: string;
}

class Eip712FieldResponse {
  @ApiProperty({ example: 'treeSize' })
  name!: string;

  @ApiProperty({ example: 'uint64' })
  type!: string;
}

class TreeHeadTypesResponse {
  @ApiProperty({ type: [Eip712FieldResponse] })
  TreeHead!: Eip712FieldResponse[];
}

class TreeHeadMessageDescriptionResponse {
  @ApiProperty()
  treeSize!: string;

  @ApiProperty()
  rootHash!: string;

  @ApiProperty()
  timestamp!: string;

  @ApiProperty()
  hashAlgorithm!: string;
}

/** Where heads are anchored: what `exchange ledger verify --rpc … --contract …` needs. */
export class AnchorTargetResponse {
  @ApiProperty({
    enum: ['off', 'local', 'rpc'],
    description:
      "'rpc': heads are anchored on the chain below; 'off' or 'local' without a chain: not anchored",
  })
  mode!: 'off' | 'local' | 'rpc';

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'EVM chain id; null until the exchange has reached the chain',
  })
  chainId!: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    description: 'address of the ProvenanceAnchor contract; null when not anchoring or not yet deployed',
  })
  contract!: string | null;
}

/** How tree heads are signed and where they are anchored, for a verifier written from scratch. */
export class LedgerKeyResponse {
  @ApiProperty({ description: 'checksummed address of the key that signs tree heads' })
  signerAddress!: string;

  @ApiProperty()
  scheme!: string;

  @ApiProperty({ example: 'TreeHead' })
  primaryType!: string;

  @ApiProperty({ type: Eip712DomainResponse })
  domain!: Eip712DomainResponse;

  @ApiProperty({ type: TreeHeadTypesResponse })
  types!: TreeHeadTypesResponse;

  @ApiProperty({ type: TreeHeadMessageDescriptionResponse })
  message!: TreeHeadMessageDescriptionResponse;

  @ApiProperty()
  signatureEncoding!: string;

  @ApiProperty()
  merkleTree!: string;

  @ApiProperty({ example: 'jcs-rfc8785-utf8-v1' })
  leafEncoding!: string;

  @ApiProperty({ enum: HASHES })
  hashAlgorithm!: string;

  @ApiProperty({ type: AnchorTargetResponse })
  anchoring!: AnchorTargetResponse;
}
