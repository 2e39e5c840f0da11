import { Tag } from 'antd';
import { api, unwrap, type Schemas } from '../../api/client';
import { useI18n } from '../../i18n/i18n';

export type Contract = Schemas['ContractResponse'];
export type Side = 'buyer' | 'merchant';

// The preset tag colours' text is too light on their tint for WCAG AA (4.5:1): the tint stays, the text is dark.
const TAG_TEXT = { color: 'rgba(0, 0, 0, 0.88)' };

const STATE_COLOURS: Record<string, string> = {
  awaiting_signatures: 'gold',
  signed: 'blue',
  active: 'green',
  disputed: 'red',
  suspended: 'volcano',
  ended: 'default',
};

export function StateTag({ state }: { state: string }) {
  const { tDynamic } = useI18n();
  return (
    <Tag color={STATE_COLOURS[state] ?? 'default'} style={TAG_TEXT}>
      {tDynamic(`contracts.state.${state}`)}
    </Tag>
  );
}

export function EscrowTag({ escrow }: { escrow: string }) {
  const { tDynamic } = useI18n();
  return <Tag style={TAG_TEXT}>{tDynamic(`contracts.escrow.${escrow}`)}</Tag>;
}

/** The caller's side of the contract (an organisation may be both merchant and buyer, never of the same contract). */
export function sideOf(contract: Contract, organisationId: string | undefined): Side | null {
  if (contract.buyerOrganisationId === organisationId) return 'buyer';
  if (contract.merchantOrganisationId === organisationId) return 'merchant';
  return null;
}

export const loadContract = (id: string) =>
  unwrap(api.GET('/v1/contracts/{id}', { params: { path: { id } } }));

/** The caller's available fen (what may pay a contract now), or null when it has no account yet. */
export async function availableFen(organisationId: string): Promise<bigint> {
  const { accounts } = await unwrap(api.GET('/v1/settlement/balances'));
  const account = accounts.find((a) => a.purpose === 'available' && a.organisationId === organisationId);
  return account ? BigInt(account.availableFen) : 0n;
}
