import { Route } from '@angular/router';
import { authGuard } from './core/auth.guard';
import { SCREENS } from './core/screens';

const plannedScreens: Route[] = SCREENS.filter((screen) => !screen.ready).map((screen) => ({
  path: screen.path,
  title: screen.label,
  data: { screen },
  loadComponent: () =>
    import('./features/placeholder/placeholder.component').then((m) => m.PlaceholderComponent),
}));

export const appRoutes: Route[] = [
  {
    path: 'login',
    title: 'Sign in',
    loadComponent: () => import('./features/login/login.component').then((m) => m.LoginComponent),
  },
  {
    path: '',
    canActivate: [authGuard],
    loadComponent: () => import('./shell/shell.component').then((m) => m.ShellComponent),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'validity' },
      {
        path: 'validity',
        title: 'Criterion validity',
        loadComponent: () =>
          import('./features/validity/validity.component').then((m) => m.ValidityComponent),
      },
      {
        path: 'interviewers',
        title: 'Interviewers',
        loadComponent: () =>
          import('./features/interviewers/interviewers.component').then((m) => m.InterviewersComponent),
      },
      {
        path: 'imports',
        title: 'Imports',
        loadComponent: () => import('./features/imports/imports.component').then((m) => m.ImportsComponent),
      },
      {
        path: 'settings',
        title: 'Settings',
        loadComponent: () =>
          import('./features/settings/settings.component').then((m) => m.SettingsComponent),
      },
      ...plannedScreens,
    ],
  },
  { path: '**', redirectTo: '' },
];
