import { lazy } from 'react';
import type { AreaRoute } from '../area';

const AdmissionsPage = lazy(() => import('./AdmissionsPage'));
const AssetsPage = lazy(() => import('./AssetsPage'));
const ListingsPage = lazy(() => import('./ListingsPage'));
const PurposesPage = lazy(() => import('./PurposesPage'));
const DisputesPage = lazy(() => import('./DisputesPage'));
const SuspensionsPage = lazy(() => import('./SuspensionsPage'));

const OPERATOR = ['operator'] as const;

/** The operator's review queues, disputes and suspensions. */
export const operatorRoutes: AreaRoute[] = [
  {
    path: '/operator/admissions',
    label: 'operator.nav.admissions',
    roles: OPERATOR,
    element: <AdmissionsPage />,
  },
  {
    path: '/operator/assets',
    label: 'operator.nav.assets',
    roles: OPERATOR,
    element: <AssetsPage />,
  },
  {
    path: '/operator/listings',
    label: 'operator.nav.listings',
    roles: OPERATOR,
    element: <ListingsPage />,
  },
  {
    path: '/operator/purposes',
    label: 'operator.nav.purposes',
    roles: OPERATOR,
    element: <PurposesPage />,
  },
  {
    path: '/operator/disputes',
    label: 'operator.nav.disputes',
    roles: OPERATOR,
    element: <DisputesPage />,
  },
  {
    path: '/operator/suspensions',
    label: 'operator.nav.suspensions',
    roles: OPERATOR,
    element: <SuspensionsPage />,
  },
];
