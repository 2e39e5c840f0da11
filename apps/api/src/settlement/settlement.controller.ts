import { Body, Controller, Get, Headers, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { actorOf, type Principal } from '@app/identity';
import { SettlementService, type Execution } from '@app/settlement';
import { Roles } from '../http/access.decorators.js';
import { CurrentPrincipal } from '../http/current-principal.decorator.js';
import { DepositDto, WithdrawalDto } from './dto/movement.dto.js';
import { BalancesResponse, MovementResponse, TrialBalanceResponse } from './dto/settlement.response.js';
import { balanceView, movementView } from './settlement-views.js';
import { IDEMPOTENCY_HEADER, scopedKey } from './idempotency-key.js';

function answer(reply: FastifyReply, execution: Execution): MovementResponse {
  if (execution.replayed) void reply.header('idempotent-replayed', 'true');
  return movementView(execution);
}

@ApiTags('settlement')
@Controller('v1/settlement')
export class SettlementController {
  constructor(private readonly settlement: SettlementService) {}

  @Post('deposits')
  @Roles('operator')
  @ApiOperation({
    summary:
      'Operator: record money an organisation paid in from outside (external → its available account). ' +
      'Payment rails are outside the platform; the accounting is real.',
  })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ type: MovementResponse })
  async deposit(
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: DepositDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MovementResponse> {
    const scoped = scopedKey(principal, key);
    return answer(
      reply,
      await this.settlement.deposit(scoped, body.organisationId, BigInt(body.amountFen), actorOf(principal)),
    );
  }

  @Post('withdrawals')
  @Roles('operator')
  @ApiOperation({
    summary:
      'Operator: record a payout to an organisation outside the platform (its available or receivable account → ' +
      'external); refused when the account cannot cover it',
  })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ type: MovementResponse })
  async withdraw(
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: WithdrawalDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MovementResponse> {
    const scoped = scopedKey(principal, key);
    return answer(
      reply,
      await this.settlement.withdraw(
        scoped,
        body.organisationId,
        body.from ?? 'available',
        BigInt(body.amountFen),
        actorOf(principal),
      ),
    );
  }

  @Get('balances')
  @Roles('merchant', 'buyer', 'operator', 'regulator')
  @ApiOperation({
    summary:
      'Balances: a party sees its own accounts (available, escrow, receivable); operators and regulators every account',
  })
  @ApiOkResponse({ type: BalancesResponse })
  async balances(@CurrentPrincipal() principal: Principal): Promise<BalancesResponse> {
    return { accounts: (await this.settlement.balances(principal)).map(balanceView) };
  }

  @Get('trial-balance')
  @Roles('operator', 'regulator')
  @ApiOperation({
    summary:
      'Operator, regulator: total debits and credits over every account with the per-account figures; ' +
      '`balanced` when they are equal, `reconciled` when every account matches its transfers',
  })
  @ApiOkResponse({ type: TrialBalanceResponse })
  async trialBalance(): Promise<TrialBalanceResponse> {
    const report = await this.settlement.trialBalance();
    return {
      totalDebitsFen: report.debitsPosted.toString(),
      totalCreditsFen: report.creditsPosted.toString(),
      totalDebitsPendingFen: report.debitsPending.toString(),
      totalCreditsPendingFen: report.creditsPending.toString(),
      balanced: report.balanced,
      reconciled: report.reconciled,
      accounts: report.accounts.map(balanceView),
    };
  }
}
