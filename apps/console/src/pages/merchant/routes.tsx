import { lazy } from 'react';
import type { AreaRoute } from '../area';
import { MerchantTheme } from './common';

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
    element: (
      <MerchantTheme>
        <AssetsPage />
      </MerchantTheme>
    ),
  },
  {
    path: '/merchant/assets/new',
    label: 'merchant.nav.assetForm',
    roles: merchant,
    element: (
      <MerchantTheme>
        <AssetFormPage />
      </MerchantTheme>
    ),
    hidden: true,
  },
  {
    path: '/merchant/assets/:id',
    label: 'merchant.nav.assetDetail',
    roles: merchant,
    element: (
      <MerchantTheme>
        <AssetDetailPage />
      </MerchantTheme>
    ),
    hidden: true,
  },
  {
    path: '/merchant/listings',
    label: 'merchant.nav.listings',
    roles: merchant,
    element: (
      <MerchantTheme>
        <ListingsPage />
      </MerchantTheme>
    ),
  },
  {
    path: '/merchant/listings/new',
    label: 'merchant.nav.listingForm',
    roles: merchant,
    element: (
      <MerchantTheme>
        <ListingFormPage />
      </MerchantTheme>
    ),
    hidden: true,
  },
  {
    path: '/merchant/datasets',
    label: 'merchant.nav.datasets',
    roles: merchant,
    element: (
      <MerchantTheme>
        <DatasetsPage />
      </MerchantTheme>
    ),
  },
  {
    path: '/merchant/balances',
    label: 'merchant.nav.balances',
    roles: merchant,
    element: (
      <MerchantTheme>
        <BalancesPage />
      </MerchantTheme>
    ),
  },
];
