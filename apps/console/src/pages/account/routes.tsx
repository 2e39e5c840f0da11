import { lazy } from 'react';
import type { AreaRoute } from '../area';

const TotpPage = lazy(() => import('./TotpPage'));
const TokensPage = lazy(() => import('./TokensPage'));
const EnrolPage = lazy(() => import('./EnrolPage'));
const SignUpPage = lazy(() => import('./SignUpPage'));
const ComplaintPage = lazy(() => import('./ComplaintPage'));

const EVERY_ROLE = ['merchant', 'buyer', 'operator', 'regulator', 'assessor'] as const;

/** The account pages: the second factor, API tokens, and the public enrolment and sign-up pages. */
export const accountRoutes: AreaRoute[] = [
  {
    path: '/account/totp',
    label: 'account.nav.totp',
    roles: ['operator', 'regulator'],
    beforeSecondFactor: true,
    element: <TotpPage />,
  },
  {
    path: '/account/tokens',
    label: 'account.nav.tokens',
    roles: EVERY_ROLE,
    element: <TokensPage />,
  },
  {
    path: '/enrol',
    label: 'account.nav.enrol',
    roles: [],
    hidden: true, // reached from the enrolment link the operator hands over
    element: <EnrolPage />,
  },
  {
    path: '/sign-up',
    label: 'account.nav.signUp',
    roles: [],
    element: <SignUpPage />,
  },
  {
    path: '/complaints',
    label: 'account.nav.complaint',
    roles: EVERY_ROLE,
    public: true,
    element: <ComplaintPage />,
  },
];
