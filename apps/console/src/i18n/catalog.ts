import { account as accountEn } from './en/account';
import { buyer as buyerEn } from './en/buyer';
import { contracts as contractsEn } from './en/contracts';
import { common as commonEn } from './en/common';
import { merchant as merchantEn } from './en/merchant';
import { operator as operatorEn } from './en/operator';
import { regulator as regulatorEn } from './en/regulator';
import { security as securityEn } from './en/security';
import { account } from './zh/account';
import { buyer } from './zh/buyer';
import { contracts } from './zh/contracts';
import { common } from './zh/common';
import { merchant } from './zh/merchant';
import { operator } from './zh/operator';
import { regulator } from './zh/regulator';
import { security } from './zh/security';

export const zh = {
  ...common,
  ...account,
  ...merchant,
  ...buyer,
  ...contracts,
  ...security,
  ...operator,
  ...regulator,
};
export type MessageKey = keyof typeof zh;
export const en: Record<MessageKey, string> = {
  ...commonEn,
  ...accountEn,
  ...merchantEn,
  ...buyerEn,
  ...contractsEn,
  ...securityEn,
  ...operatorEn,
  ...regulatorEn,
};
export type Language = 'zh' | 'en';
export const catalogs: Record<Language, Record<MessageKey, string>> = { zh, en };
