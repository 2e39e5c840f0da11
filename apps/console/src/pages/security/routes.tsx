import { lazy } from 'react';
import type { AreaRoute } from '../area';

const IncidentNoticesPage = lazy(() => import('./IncidentNoticesPage'));
const IncidentReportPage = lazy(() => import('./IncidentReportPage'));
const RiskReportPage = lazy(() => import('./RiskReportPage'));

/**
 * Data security for merchants and buyers: the incidents they were told of, reporting their own (DS 15, 16), and the
 * yearly risk assessment report (DS 60, 63).
 */
export const securityRoutes: AreaRoute[] = [
  {
    path: '/incident-notices',
    label: 'security.nav.incidentNotices',
    roles: ['merchant', 'buyer'],
    element: <IncidentNoticesPage />,
  },
  {
    path: '/incidents/report',
    label: 'security.nav.reportIncident',
    roles: ['merchant', 'buyer'],
    element: <IncidentReportPage />,
  },
  {
    path: '/risk-reports',
    label: 'security.nav.riskReports',
    roles: ['merchant', 'buyer'],
    element: <RiskReportPage />,
  },
];
