import { lazy } from 'react';
import type { AreaRoute } from '../area';

const AssetsPage = lazy(() => import('./AssetsPage'));
const AssetFormPage = lazy(() => import('./AssetFormPage'));
const AssetDetailPage = lazy(() => import('./AssetDetailPage'));
const ListingsPage = lazy(() => import('./ListingsPage'));
const ListingFormPage = lazy(() => import('./ListingFormPage'));
const DatasetsPage = lazy(() => import('./DatasetsPage'));
const BalancesPage = lazy(() => import('./BalancesPage'));

const merchant = ['merchant'] as const;

/** The merchant pages. */
export const merchantRoutes: AreaRoute[] = [
  {
    path: '/merchant/assets',
    label: 'merchant.nav.assets',
    roles: merchant,
    element: <AssetsPage />,
  },
  {
    path: '/merchant/assets/new',
    label: 'merchant.nav.assetForm',
    roles: merchant,
    element: <AssetFormPage />,
    hidden: true,
  },
  {
    path: '/merchant/assets/:id',
    label: 'merchant.nav.assetDetail',
    roles: merchant,
    element: <AssetDetailPage />,
    hidden: true,
  },
  {
    path: '/merchant/listings',
    label: 'merchant.nav.listings',
    roles: merchant,
    element: <ListingsPage />,
  },
  {
    path: '/merchant/listings/new',
    label: 'merchant.nav.listingForm',
    roles: merchant,
    element: <ListingFormPage />,
    hidden: true,
  },
  {
    path: '/merchant/datasets',
    label: 'merchant.nav.datasets',
    roles: merchant,
    element: <DatasetsPage />,
  },
  {
    path: '/merchant/balances',
    label: 'merchant.nav.balances',
    roles: merchant,
    element: <BalancesPage />,
  },
];
