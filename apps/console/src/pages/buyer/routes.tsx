import { lazy } from 'react';
import type { AreaRoute } from '../area';

const CatalogPage = lazy(() => import('./CatalogPage'));
const ListingPage = lazy(() => import('./ListingPage'));
const NegotiationsPage = lazy(() => import('./NegotiationsPage'));
const NegotiationPage = lazy(() => import('./NegotiationPage'));
const ComputationsPage = lazy(() => import('./ComputationsPage'));
const ComputationPage = lazy(() => import('./ComputationPage'));
const KeysPage = lazy(() => import('./KeysPage'));

/** The buyer pages (the catalogue and negotiations are the merchant's too: both sides use the same pages). */
export const buyerRoutes: AreaRoute[] = [
  {
    path: '/catalog',
    label: 'buyer.nav.catalog',
    roles: ['buyer', 'merchant'],
    public: true, // the catalogue is open to visitors, as the API's GET /v1/catalog is
    element: <CatalogPage />,
  },
  {
    path: '/catalog/:id',
    label: 'buyer.nav.catalog',
    roles: ['buyer', 'merchant'],
    element: <ListingPage />,
    hidden: true,
  },
  {
    path: '/negotiations',
    label: 'buyer.nav.negotiations',
    roles: ['buyer', 'merchant'],
    element: <NegotiationsPage />,
  },
  {
    path: '/negotiations/:id',
    label: 'buyer.nav.negotiations',
    roles: ['buyer', 'merchant'],
    element: <NegotiationPage />,
    hidden: true,
  },
  {
    path: '/computations',
    label: 'buyer.nav.computations',
    roles: ['buyer'],
    element: <ComputationsPage />,
  },
  {
    path: '/computations/:id',
    label: 'buyer.nav.computations',
    roles: ['buyer'],
    element: <ComputationPage />,
    hidden: true,
  },
  {
    path: '/result-keys',
    label: 'buyer.nav.keys',
    roles: ['buyer'],
    element: <KeysPage />,
  },
];
