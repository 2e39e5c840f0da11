import { ApiProperty } from '@nestjs/swagger';

const DETAIL = 'operators and regulators only: why it is down (error text), or queue figures';

export class DatabaseHealthResponse {
  @ApiProperty({ enum: ['sqlite', 'postgresql'] })
  kind!: string;

  @ApiProperty()
  ok!: boolean;

  @ApiProperty({ required: false, description: DETAIL })
  detail?: string;
}

export class QueueHealthResponse {
  @ApiProperty({ enum: ['in-process', 'redis'] })
  mode!: string;

  @ApiProperty()
  ok!: boolean;

  @ApiProperty({ required: false, description: DETAIL })
  detail?: string;
}

class LastAnchorResponse {
  @ApiProperty()
  treeSize!: number;

  @ApiProperty()
  txHash!: string;

  @ApiProperty({ format: 'date-time' })
  anchoredAt!: string;
}

export class ChainHealthResponse {
  @ApiProperty({ enum: ['off', 'local', 'rpc'] })
  mode!: string;

  @ApiProperty()
  ok!: boolean;

  @ApiProperty({ required: false })
  chainId?: number;

  @ApiProperty({ required: false })
  blockNumber?: number;

  @ApiProperty({ required: false, description: 'the anchoring contract' })
  contract?: string;

  @ApiProperty({
    required: false,
    type: LastAnchorResponse,
    description: 'the newest tree head put on chain',
  })
  lastAnchor?: LastAnchorResponse;

  @ApiProperty({ required: false, description: DETAIL })
  detail?: string;
}

/** Same shape for 200 (ok) and 503 (degraded); the details only for an overseer's valid bearer. */
export class HealthResponse {
  @ApiProperty({ enum: ['ok', 'degraded'] })
  status!: 'ok' | 'degraded';

  @ApiProperty({ type: DatabaseHealthResponse })
  database!: DatabaseHealthResponse;

  @ApiProperty({ type: QueueHealthResponse })
  queue!: QueueHealthResponse;

  @ApiProperty({ type: ChainHealthResponse })
  chain!: ChainHealthResponse;
}
