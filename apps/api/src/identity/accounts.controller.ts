import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountService, type Principal } from '@app/identity';
import { Authenticated } from '../http/access.decorators.js';
import { CurrentPrincipal } from '../http/current-principal.decorator.js';
import { NewAccountDto } from './dto/sign-up.dto.js';
import { accountView } from './views.js';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('v1/accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountService) {}

  @Post()
  @Authenticated({ sessionOnly: true })
  @ApiOperation({ summary: 'An organisation admin adds an account to the organisation' })
  async add(@CurrentPrincipal() principal: Principal, @Body() body: NewAccountDto) {
    return accountView(await this.accounts.addMember(principal, body));
  }

  @Get()
  @Authenticated()
  @ApiOperation({ summary: "The accounts of the caller's organisation" })
  async list(@CurrentPrincipal() principal: Principal) {
    return { accounts: (await this.accounts.list(principal)).map(accountView) };
  }
}
