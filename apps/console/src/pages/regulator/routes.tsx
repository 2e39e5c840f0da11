import { lazy } from 'react';
import type { AreaRoute } from '../area';

const SupervisionPage = lazy(() => import('./SupervisionPage'));
const IncidentsPage = lazy(() => import('./IncidentsPage'));
const IncidentDetailPage = lazy(() => import('./IncidentDetailPage'));
const RiskReportsPage = lazy(() => import('./RiskReportsPage'));
const RiskReportDetailPage = lazy(() =>
  import('./RiskReportsPage').then((m) => ({ default: m.RiskReportDetailPage })),
);
const DestructionsPage = lazy(() => import('./DestructionsPage'));
const ComplaintsPage = lazy(() => import('./ComplaintsPage'));
const ComplaintDetailPage = lazy(() =>
  import('./ComplaintsPage').then((m) => ({ default: m.ComplaintDetailPage })),
);
const LedgerPage = lazy(() => import('./LedgerPage'));

/**
 * The regulator pages. The API opens supervision, incidents, risk reports, destructions (reading), complaints and the
 * ledger explorer to the operator as well, so these pages are the operator's too; deciding a destruction is the
 * regulator's alone (the page hides it from others), containing and closing an incident the operator's.
 */
const OVERSEERS = ['regulator', 'operator'] as const;

export const regulatorRoutes: AreaRoute[] = [
  {
    path: '/regulator/supervision',
    label: 'regulator.nav.supervision',
    roles: OVERSEERS,
    element: <SupervisionPage />,
  },
  {
    path: '/regulator/incidents',
    label: 'regulator.nav.incidents',
    roles: OVERSEERS,
    element: <IncidentsPage />,
  },
  {
    path: '/regulator/incidents/:id',
    label: 'regulator.nav.incidents',
    roles: OVERSEERS,
    element: <IncidentDetailPage />,
    hidden: true,
  },
  {
    path: '/regulator/risk-reports',
    label: 'regulator.nav.riskReports',
    roles: OVERSEERS,
    element: <RiskReportsPage />,
  },
  {
    path: '/regulator/risk-reports/:id',
    label: 'regulator.nav.riskReports',
    roles: OVERSEERS,
    element: <RiskReportDetailPage />,
    hidden: true,
  },
  {
    path: '/regulator/destructions',
    label: 'regulator.nav.destructions',
    roles: OVERSEERS,
    element: <DestructionsPage />,
  },
  {
    path: '/regulator/complaints',
    label: 'regulator.nav.complaints',
    roles: OVERSEERS,
    element: <ComplaintsPage />,
  },
  {
    path: '/regulator/complaints/:id',
    label: 'regulator.nav.complaints',
    roles: OVERSEERS,
    element: <ComplaintDetailPage />,
    hidden: true,
  },
  {
    path: '/regulator/ledger',
    label: 'regulator.nav.ledger',
    roles: OVERSEERS,
    element: <LedgerPage />,
  },
];
