import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { SessionSummary } from '@hiresignal/shared';
import { ROLE_LABELS, ROLE_SUMMARIES } from '../../core/access';
import { ApiService } from '../../core/api.service';
import { AuthService } from '../../core/auth.service';
import { describeOrigin } from '../../core/device';
import { describeHttpError, fieldProblems } from '../../core/http-error';
import { LOADING, type LoadState, dataOf, errorOf, toLoadState } from '../../core/load-state';
import {
  PASSWORD_POLICY,
  type PasswordErrors,
  checkNewPassword,
  problemSentence,
} from '../../core/password-policy';
import { formatWhen } from '../imports/imports-format';

@Component({
  selector: 'hs-profile',
  template: `
    <section class="page" aria-labelledby="page-title">
      <header class="page-header">
        <h1 id="page-title">Your account</h1>
        @if (session(); as s) {
          <p class="lede" data-testid="profile-summary">
            Signed in as <strong>{{ s.email ?? 'an API key' }}</strong> at {{ s.organizationName }}, with the
            {{ roleLabels[s.role].toLowerCase() }} role: {{ roleSummaries[s.role] }}
          </p>
        }
      </header>

      <form
        class="card settings-form"
        novalidate
        aria-labelledby="password-title"
        data-testid="password-form"
        (submit)="changePassword($event)"
      >
        <h2 id="password-title">Change your password</h2>
        <p class="small muted" id="password-policy">{{ policy }} Your other sessions are signed out.</p>
        <div class="field">
          <label for="current-password">Current password</label>
          <input
            id="current-password"
            type="password"
            autocomplete="current-password"
            data-testid="current-password"
            [value]="current()"
            [attr.aria-invalid]="!!currentError()"
            [attr.aria-describedby]="currentError() ? 'current-password-error' : null"
            (input)="current.set($any($event.target).value); currentError.set(null)"
          />
          @if (currentError(); as message) {
            <p class="field-error" id="current-password-error" role="alert">{{ message }}</p>
          }
        </div>
        <div class="field">
          <label for="new-password">New password</label>
          <input
            id="new-password"
            type="password"
            autocomplete="new-password"
            data-testid="new-password"
            [value]="next()"
            [attr.aria-invalid]="!!errors().password"
            [attr.aria-describedby]="'password-policy' + (errors().password ? ' new-password-error' : '')"
            (input)="next.set($any($event.target).value)"
          />
          @if (errors().password; as message) {
            <p class="field-error" id="new-password-error" role="alert">{{ message }}</p>
          }
        </div>
        <div class="field">
          <label for="confirm-password">New password again</label>
          <input
            id="confirm-password"
            type="password"
            autocomplete="new-password"
            data-testid="confirm-password"
            [value]="confirm()"
            [attr.aria-invalid]="!!errors().confirm"
            [attr.aria-describedby]="errors().confirm ? 'confirm-password-error' : null"
            (input)="confirm.set($any($event.target).value)"
          />
          @if (errors().confirm; as message) {
            <p class="field-error" id="confirm-password-error" role="alert">{{ message }}</p>
          }
        </div>
        <div class="form-actions">
          <button
            type="submit"
            class="button button-primary"
            data-testid="password-submit"
            [disabled]="saving()"
          >
            {{ saving() ? 'Changing…' : 'Change password' }}
          </button>
          @if (changed()) {
            <span class="ok-text" role="status" data-testid="password-changed"
              >Password changed. Your other sessions were signed out.</span
            >
          }
        </div>
        @if (formError(); as message) {
          <p class="alert alert-error" role="alert" data-testid="password-error">{{ message }}</p>
        }
      </form>

      <section class="card section table-card" aria-labelledby="sessions-title" data-testid="sessions">
        <div class="section-header padded">
          <h2 id="sessions-title">Where you are signed in</h2>
          <button type="button" class="button button-ghost" (click)="reload()">Refresh</button>
        </div>
        <p class="small muted padded">End a session you do not recognise; then change your password.</p>
        @if (endError(); as message) {
          <p class="alert alert-error padded-alert" role="alert">{{ message }}</p>
        }
        @if (listError(); as message) {
          <p class="alert alert-error padded-alert" role="alert">
            Your sessions could not be listed. {{ message }}
          </p>
        } @else if (state().status === 'loading') {
          <p class="muted padded" role="status"><span class="spinner" aria-hidden="true"></span> Loading…</p>
        } @else {
          <div class="table-wrap">
            <table class="data-table">
              <caption class="visually-hidden">
                Your sessions
              </caption>
              <thead>
                <tr>
                  <th scope="col">Where from</th>
                  <th scope="col">Started</th>
                  <th scope="col">Last seen</th>
                  <th scope="col"><span class="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                @for (s of sessions(); track s.id) {
                  <tr data-testid="session-row" [attr.data-current]="s.current">
                    <th scope="row">
                      {{ origin(s) }}
                      @if (s.current) {
                        <span class="badge badge-ok" data-testid="session-current">This device</span>
                      }
                    </th>
                    <td class="nowrap">{{ formatWhen(s.createdAt) }}</td>
                    <td class="nowrap">{{ formatWhen(s.lastSeenAt) }}</td>
                    <td class="row-actions">
                      <button
                        type="button"
                        class="button button-ghost"
                        data-testid="session-end"
                        [disabled]="ending() === s.id"
                        [attr.aria-label]="
                          s.current ? 'Sign out on this device' : 'End the session from ' + origin(s)
                        "
                        (click)="end(s)"
                      >
                        {{ s.current ? 'Sign out' : 'End' }}
                      </button>
                    </td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        }
      </section>
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProfileComponent {
  private readonly api = inject(ApiService);
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);

  protected readonly session = this.auth.session;
  protected readonly roleLabels = ROLE_LABELS;
  protected readonly roleSummaries = ROLE_SUMMARIES;
  protected readonly policy = PASSWORD_POLICY;
  protected readonly formatWhen = formatWhen;

  protected readonly current = signal('');
  protected readonly next = signal('');
  protected readonly confirm = signal('');
  protected readonly errors = signal<PasswordErrors>({});
  protected readonly currentError = signal<string | null>(null);
  protected readonly formError = signal<string | null>(null);
  protected readonly saving = signal(false);
  protected readonly changed = signal(false);

  protected readonly state = signal<LoadState<SessionSummary[]>>(LOADING);
  protected readonly sessions = computed(() => dataOf(this.state()) ?? []);
  protected readonly listError = computed(() => errorOf(this.state()));
  protected readonly ending = signal<string | null>(null);
  protected readonly endError = signal<string | null>(null);

  constructor() {
    this.reload();
  }

  protected origin(s: SessionSummary): string {
    return describeOrigin(s.ip, s.userAgent);
  }

  protected reload(): void {
    toLoadState(this.api.sessions()).subscribe((state) => {
      if (state.status !== 'loading' || this.state().status !== 'ready') {
        this.state.set(state);
      }
    });
  }

  protected changePassword(event: Event): void {
    event.preventDefault();
    this.changed.set(false);
    this.formError.set(null);
    const errors = checkNewPassword(this.next(), this.confirm(), this.session()?.email ?? null);
    this.errors.set(errors);
    this.currentError.set(this.current() ? null : 'Enter your current password.');
    if (errors.password || errors.confirm || this.currentError()) {
      return;
    }
    this.saving.set(true);
    this.api.changePassword({ currentPassword: this.current(), newPassword: this.next() }).subscribe({
      next: () => {
        this.saving.set(false);
        this.changed.set(true);
        this.current.set('');
        this.next.set('');
        this.confirm.set('');
        this.reload();
      },
      error: (error: unknown) => {
        this.saving.set(false);
        const problems = fieldProblems(error);
        if (problems.length > 0) {
          const onCurrent = problems.filter((p) => p.field === 'currentPassword');
          const onNew = problems.filter((p) => p.field !== 'currentPassword');
          this.currentError.set(onCurrent.map((p) => problemSentence('That', p.message)).join(' ') || null);
          this.errors.set({
            password: onNew.map((p) => problemSentence('The new password', p.message)).join(' ') || undefined,
          });
        } else if (error instanceof HttpErrorResponse && (error.status === 401 || error.status === 403)) {
          this.currentError.set('That is not your current password.');
        } else {
          this.formError.set(`Your password was not changed. ${describeHttpError(error)}`);
        }
      },
    });
  }

  protected end(s: SessionSummary): void {
    this.endError.set(null);
    if (s.current) {
      this.auth.logout().subscribe({ complete: () => void this.router.navigate(['/login']) });
      return;
    }
    this.ending.set(s.id);
    this.api.endSession(s.id).subscribe({
      next: () => {
        this.ending.set(null);
        this.reload();
      },
      error: (error: unknown) => {
        this.ending.set(null);
        this.endError.set(`That session was not ended. ${describeHttpError(error)}`);
      },
    });
  }
}
