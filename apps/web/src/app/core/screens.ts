import type { Role } from '@hiresignal/shared';
import { type Capability, can } from './access';

/** The dashboard's screens: one list feeds the navigation, the routes, the role guard and the placeholder pages. */
export interface Screen {
  path: string;
  label: string;
  /** Who opens this screen first (PRODUCT.md). */
  audience: string;
  /** One sentence: what the screen shows. */
  summary: string;
  ready: boolean;
  /** What a role needs to open it (libs/shared access.ts). */
  capability: Capability;
}

export const SCREENS: readonly Screen[] = [
  {
    path: 'overview',
    label: 'Overview',
    audience: 'Everyone',
    summary:
      "Each role's question answered at a glance: which criteria predict and which to drop, interviewer outliers, fairness flags, the funnel's weakest step and slowest stage, data freshness and the last exports.",
    ready: true,
    capability: 'overview',
  },
  {
    path: 'validity',
    label: 'Criterion validity',
    audience: 'Talent leaders',
    summary:
      'Which rubric criteria predict who performs well after being hired, with the sample size and confidence interval behind each number.',
    ready: true,
    capability: 'validity',
  },
  {
    path: 'interviewers',
    label: 'Interviewers',
    audience: 'Talent leaders',
    summary:
      "Interviewer calibration: each interviewer's leniency, how well interviewers agree with one another (ICC, Krippendorff's alpha), and how well each one's own scores predict performance after hire.",
    ready: true,
    capability: 'validity',
  },
  {
    path: 'funnel',
    label: 'Funnel',
    audience: 'Recruiters',
    summary:
      'Where candidates drop out: stage counts and conversion, time in each stage, time to hire and offer acceptance, by job, department, source and cohort.',
    ready: true,
    capability: 'funnel',
  },
  {
    path: 'fairness',
    label: 'Fairness',
    audience: 'Talent leaders',
    summary:
      'Whether the process treats groups fairly: selection and scoring rates by group, impact ratios against the four-fifths rule, significance tests, intersectional groups with small cells suppressed, and differential validity.',
    ready: true,
    capability: 'fairness',
  },
  {
    path: 'exports',
    label: 'Cohorts & exports',
    audience: 'Data analysts',
    summary:
      'Saved cohorts and CSV or XLSX exports, run as background jobs or on a schedule, with the same rows in the same order every time.',
    ready: true,
    capability: 'exports',
  },
  {
    path: 'imports',
    label: 'Imports',
    audience: 'Admins',
    summary:
      'Bring in applications, interview scores, performance reviews and separations by API, CSV upload or ATS export (Greenhouse, Lever), with progress and row-level errors.',
    ready: true,
    capability: 'importsRead',
  },
  {
    path: 'settings',
    label: 'Settings',
    audience: 'Admins',
    summary:
      'What counts as a successful hire in your organization, the minimum sample behind a result, and the reliability of performance ratings used to correct validity.',
    ready: true,
    capability: 'settingsRead',
  },
  {
    path: 'team',
    label: 'Team',
    audience: 'Admins',
    summary: 'Who can sign in and what each person sees: invitations, roles, disabled accounts and API keys.',
    ready: true,
    capability: 'team',
  },
  {
    path: 'audit',
    label: 'Audit log',
    audience: 'Admins',
    summary:
      'Every sign-in, invitation, role change, key and settings change, newest first, with who did it and from where.',
    ready: true,
    capability: 'audit',
  },
  {
    path: 'glossary',
    label: 'Glossary',
    audience: 'Everyone',
    summary: 'Every statistic on the dashboard in plain words, with its formula and source.',
    ready: true,
    capability: 'overview',
  },
];

/** The screens a role may open, in navigation order. */
export function screensFor(role: Role): Screen[] {
  return SCREENS.filter((screen) => can(role, screen.capability));
}

/** Where a role lands after signing in: its first screen, the overview. */
export function homeFor(role: Role): string {
  return `/${screensFor(role)[0]?.path ?? 'profile'}`;
}

export function screenAt(path: string): Screen | undefined {
  return SCREENS.find((screen) => screen.path === path);
}
