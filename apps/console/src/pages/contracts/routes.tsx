import { lazy } from 'react';
import type { AreaRoute } from '../area';

const ContractsListPage = lazy(() => import('./ContractsListPage'));
const ContractDetailPage = lazy(() => import('./ContractDetailPage'));
const SignContractPage = lazy(() => import('./SignContractPage'));
const SigningAddressPage = lazy(() => import('./SigningAddressPage'));
const BalancesPage = lazy(() => import('./BalancesPage'));

/** The contracts pages, shared by merchants and buyers; the balances also serve the operator (deposits, payouts). */
export const contractsRoutes: AreaRoute[] = [
  {
    path: '/contracts',
    label: 'contracts.nav.list',
    roles: ['merchant', 'buyer'],
    element: <ContractsListPage />,
  },
  {
    path: '/contracts/:id',
    label: 'contracts.nav.detail',
    roles: ['merchant', 'buyer'],
    element: <ContractDetailPage />,
    hidden: true,
  },
  {
    path: '/contracts/:id/sign',
    label: 'contracts.nav.sign',
    roles: ['merchant', 'buyer'],
    element: <SignContractPage />,
    hidden: true,
  },
  {
    path: '/signing-address',
    label: 'contracts.nav.signingAddress',
    roles: ['merchant', 'buyer'],
    element: <SigningAddressPage />,
  },
  {
    path: '/settlement',
    label: 'contracts.nav.balances',
    roles: ['merchant', 'buyer', 'operator', 'regulator'],
    element: <BalancesPage />,
  },
];
