import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountService, type Principal } from '@app/identity';
import { Authenticated } from '../http/access.decorators.js';
import { CurrentPrincipal } from '../http/current-principal.decorator.js';
import { AccountListResponse, AccountResponse } from './dto/account.response.js';
import { NewAccountDto } from './dto/sign-up.dto.js';
import { accountView } from './views.js';

@ApiTags('accounts')
@Controller('v1/accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountService) {}

  @Post()
  @Authenticated({ sessionOnly: true })
  @ApiOperation({ summary: 'An organisation admin adds an account to the organisation' })
  @ApiCreatedResponse({ type: AccountResponse })
  async add(@CurrentPrincipal() principal: Principal, @Body() body: NewAccountDto): Promise<AccountResponse> {
    return accountView(await this.accounts.addMember(principal, body));
  }

  @Get()
  @Authenticated()
  @ApiOperation({ summary: "The accounts of the caller's organisation" })
  @ApiOkResponse({ type: AccountListResponse })
  async list(@CurrentPrincipal() principal: Principal): Promise<AccountListResponse> {
    return { accounts: (await this.accounts.list(principal)).map(accountView) };
  }
}
