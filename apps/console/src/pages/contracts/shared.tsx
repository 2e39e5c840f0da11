import { api, unwrap, type Schemas } from '../../api/client';
import { ColourTag, type Colour } from '../../components/ColourTag';
import { useI18n } from '../../i18n/i18n';

export type Contract = Schemas['ContractResponse'];
export type Side = 'buyer' | 'merchant';

const STATE_COLOURS: Record<string, Colour> = {
  awaiting_signatures: 'orange',
  signed: 'blue',
  active: 'green',
  disputed: 'red',
  suspended: 'orange',
  ended: 'grey',
};

export function StateTag({ state }: { state: string }) {
  const { tDynamic } = useI18n();
  return <ColourTag colour={STATE_COLOURS[state]}>{tDynamic(`contracts.state.${state}`)}</ColourTag>;
}

export function EscrowTag({ escrow }: { escrow: string }) {
  const { tDynamic } = useI18n();
  return <ColourTag>{tDynamic(`contracts.escrow.${escrow}`)}</ColourTag>;
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
