import { ApiProperty } from '@nestjs/swagger';

/** The body of every 4xx and 5xx answer, made by the one error filter. */
export class ErrorResponse {
  @ApiProperty({ example: 400, description: 'the HTTP status, repeated' })
  statusCode!: number;

  @ApiProperty({
    example: 'validation_failed',
    description: 'stable, machine-readable reason (e.g. validation_failed, invalid_text, unauthenticated)',
  })
  code!: string;

  @ApiProperty({ example: 'name must be a string; got 42', description: 'what was wrong, for people' })
  message!: string;

  @ApiProperty({
    required: false,
    example: 'DE 41',
    description:
      'on a 422 refusal by a rule of the regulations: the article that decided it (DS = 数据安全管理办法, DE = 数据要素管理办法)',
  })
  article?: string;

  @ApiProperty({
    format: 'uuid',
    description: 'also in the x-correlation-id header; the server logs 5xx answers under it',
  })
  correlationId!: string;
}
