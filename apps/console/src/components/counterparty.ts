/** Who is on the other side, by registered name; both sides ("merchant → buyer") for an overseer, on neither. */
export function counterpartyName(
  deal: {
    buyerOrganisationId: string;
    merchantOrganisationId: string;
    buyerOrganisationName: string;
    merchantOrganisationName: string;
  },
  organisationId: string | undefined,
): string {
  if (deal.buyerOrganisationId === organisationId) return deal.merchantOrganisationName;
  if (deal.merchantOrganisationId === organisationId) return deal.buyerOrganisationName;
  return `${deal.merchantOrganisationName} → ${deal.buyerOrganisationName}`;
}
