import { Route } from '@angular/router';
import { authGuard } from './core/auth.guard';
import { capabilityGuard, homeGuard } from './core/role.guard';
import { unsavedChangesGuard } from './core/unsaved-changes.guard';
import { SCREENS, type Screen, screenAt } from './core/screens';

/** A screen's route: titled from the screens list and opened only for roles with its capability. */
function screenRoute(path: string, loadComponent: Route['loadComponent']): Route {
  const screen = screenAt(path) as Screen;
  return {
    path,
    title: screen.label,
    canActivate: [capabilityGuard],
    data: { capability: screen.capability },
    loadComponent,
  };
}

const plannedScreens: Route[] = SCREENS.filter((screen) => !screen.ready).map((screen) => ({
  ...screenRoute(screen.path, () =>
    import('./features/placeholder/placeholder.component').then((m) => m.PlaceholderComponent),
  ),
  data: { screen, capability: screen.capability },
}));

export const appRoutes: Route[] = [
  {
    path: 'login',
    title: 'Sign in',
    loadComponent: () => import('./features/login/login.component').then((m) => m.LoginComponent),
  },
  {
    path: 'accept-invitation',
    title: 'Choose a password',
    loadComponent: () =>
      import('./features/accept-invitation/accept-invitation.component').then(
        (m) => m.AcceptInvitationComponent,
      ),
  },
  {
    path: '',
    canActivate: [authGuard],
    loadComponent: () => import('./shell/shell.component').then((m) => m.ShellComponent),
    children: [
      { path: '', pathMatch: 'full', canActivate: [homeGuard], children: [] },
      screenRoute('overview', () =>
        import('./features/overview/overview.component').then((m) => m.OverviewComponent),
      ),
      screenRoute('glossary', () =>
        import('./features/glossary/glossary.component').then((m) => m.GlossaryComponent),
      ),
      screenRoute('validity', () =>
        import('./features/validity/validity.component').then((m) => m.ValidityComponent),
      ),
      screenRoute('interviewers', () =>
        import('./features/interviewers/interviewers.component').then((m) => m.InterviewersComponent),
      ),
      screenRoute('funnel', () =>
        import('./features/funnel/funnel.component').then((m) => m.FunnelComponent),
      ),
      screenRoute('fairness', () =>
        import('./features/fairness/fairness.component').then((m) => m.FairnessComponent),
      ),
      {
        path: 'fairness/audit-summary',
        title: 'Bias audit summary',
        canActivate: [capabilityGuard],
        data: { capability: 'fairness' },
        loadComponent: () =>
          import('./features/fairness/audit-summary.component').then((m) => m.AuditSummaryComponent),
      },
      screenRoute('exports', () =>
        import('./features/exports/exports.component').then((m) => m.ExportsComponent),
      ),
      { path: 'cohorts', redirectTo: 'exports' },
      screenRoute('imports', () =>
        import('./features/imports/imports.component').then((m) => m.ImportsComponent),
      ),
      {
        ...screenRoute('settings', () =>
          import('./features/settings/settings.component').then((m) => m.SettingsComponent),
        ),
        canDeactivate: [unsavedChangesGuard],
      },
      screenRoute('team', () => import('./features/team/team.component').then((m) => m.TeamComponent)),
      screenRoute('audit', () => import('./features/audit/audit.component').then((m) => m.AuditComponent)),
      {
        path: 'profile',
        title: 'Your account',
        loadComponent: () => import('./features/profile/profile.component').then((m) => m.ProfileComponent),
      },
      {
        path: 'not-available',
        title: 'Not available',
        loadComponent: () =>
          import('./features/not-available/not-available.component').then((m) => m.NotAvailableComponent),
      },
      ...plannedScreens,
      {
        path: '**',
        title: 'Page not found',
        loadComponent: () =>
          import('./features/not-found/not-found.component').then((m) => m.NotFoundComponent),
      },
    ],
  },
];
