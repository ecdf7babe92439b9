import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import type { InvitationInfo } from '@hiresignal/shared';
import { ApiService } from '../../core/api.service';
import { AuthService } from '../../core/auth.service';
import { describeHttpError, fieldProblems } from '../../core/http-error';
import { type LoadState, dataOf } from '../../core/load-state';
import {
  PASSWORD_POLICY,
  type PasswordErrors,
  checkNewPassword,
  problemSentence,
} from '../../core/password-policy';
import { homeFor } from '../../core/screens';
import { formatWhen } from '../imports/imports-format';
import { tokenFromFragment } from './invitation-token';

/** Where an invitation or a password-reset link lands: choose a password, then go straight in. */
@Component({
  selector: 'hs-accept-invitation',
  imports: [RouterLink],
  template: `
    <main class="login-page" id="main">
      <section class="login-card card" aria-labelledby="accept-title" data-testid="accept-invitation">
        <p class="brand brand-large">
          <span class="brand-mark" aria-hidden="true"></span>
          <span class="brand-name">HireSignal</span>
        </p>
        @if (!token) {
          <h1 id="accept-title">This link is incomplete</h1>
          <p class="alert alert-error" role="alert" data-testid="accept-problem">
            Open the whole link you were sent, or ask your admin for a new one.
          </p>
          <p><a routerLink="/login">Go to sign in</a></p>
        } @else {
          @switch (state().status) {
            @case ('loading') {
              <h1 id="accept-title">Checking your link…</h1>
              <p class="muted" role="status"><span class="spinner" aria-hidden="true"></span> One moment.</p>
            }
            @case ('error') {
              <h1 id="accept-title">This link no longer works</h1>
              <p class="alert alert-error" role="alert" data-testid="accept-problem">{{ loadProblem() }}</p>
              <p><a routerLink="/login">Go to sign in</a></p>
            }
            @default {
              @if (info(); as i) {
                <h1 id="accept-title">
                  {{ i.purpose === 'invitation' ? 'Join ' + i.organizationName : 'Choose a new password' }}
                </h1>
                <p class="muted" data-testid="accept-for">
                  @if (i.purpose === 'invitation') {
                    You were invited to HireSignal at {{ i.organizationName }} as
                    <strong>{{ i.email }}</strong
                    >. Choose a password to finish.
                  } @else {
                    For <strong>{{ i.email }}</strong> at {{ i.organizationName }}. Your other sessions will
                    be signed out.
                  }
                  This link works once, until {{ formatWhen(i.expiresAt) }}.
                </p>
                <form novalidate data-testid="accept-form" (submit)="submit($event)">
                  <div class="field">
                    <label for="accept-email">Email</label>
                    <input
                      id="accept-email"
                      type="email"
                      autocomplete="username"
                      readonly
                      [value]="i.email"
                    />
                  </div>
                  <div class="field">
                    <label for="accept-password">New password</label>
                    <input
                      id="accept-password"
                      type="password"
                      autocomplete="new-password"
                      data-testid="accept-password"
                      [value]="password()"
                      [attr.aria-invalid]="!!errors().password"
                      [attr.aria-describedby]="
                        'accept-policy' + (errors().password ? ' accept-password-error' : '')
                      "
                      (input)="password.set($any($event.target).value)"
                    />
                    @if (errors().password; as message) {
                      <p
                        class="field-error"
                        id="accept-password-error"
                        role="alert"
                        data-testid="accept-password-error"
                      >
                        {{ message }}
                      </p>
                    }
                    <p class="field-help muted" id="accept-policy">{{ policy }}</p>
                  </div>
                  <div class="field">
                    <label for="accept-confirm">New password again</label>
                    <input
                      id="accept-confirm"
                      type="password"
                      autocomplete="new-password"
                      data-testid="accept-confirm"
                      [value]="confirm()"
                      [attr.aria-invalid]="!!errors().confirm"
                      [attr.aria-describedby]="errors().confirm ? 'accept-confirm-error' : null"
                      (input)="confirm.set($any($event.target).value)"
                    />
                    @if (errors().confirm; as message) {
                      <p class="field-error" id="accept-confirm-error" role="alert">{{ message }}</p>
                    }
                  </div>
                  @if (submitError(); as message) {
                    <p class="alert alert-error" role="alert" data-testid="accept-error">{{ message }}</p>
                  }
                  <button
                    type="submit"
                    class="button button-primary button-block"
                    data-testid="accept-submit"
                    [disabled]="submitting()"
                  >
                    {{
                      submitting()
                        ? 'Saving…'
                        : i.purpose === 'invitation'
                          ? 'Set password and sign in'
                          : 'Save password and sign in'
                    }}
                  </button>
                </form>
              }
            }
          }
        }
      </section>
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AcceptInvitationComponent {
  private readonly api = inject(ApiService);
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);

  protected readonly token = tokenFromFragment(inject(ActivatedRoute).snapshot.fragment);
  protected readonly policy = PASSWORD_POLICY;
  protected readonly formatWhen = formatWhen;

  protected readonly state = signal<LoadState<InvitationInfo>>({ status: 'loading' });
  protected readonly info = computed(() => dataOf(this.state()));
  protected readonly loadProblem = signal('');

  protected readonly password = signal('');
  protected readonly confirm = signal('');
  protected readonly errors = signal<PasswordErrors>({});
  protected readonly submitError = signal<string | null>(null);
  protected readonly submitting = signal(false);

  constructor() {
    if (!this.token) {
      return;
    }
    this.api.invitation(this.token).subscribe({
      next: (data) => this.state.set({ status: 'ready', data }),
      error: (error: unknown) => {
        const gone = error instanceof HttpErrorResponse && (error.status === 404 || error.status === 410);
        const message = gone
          ? 'It has expired or was already used. Ask your admin for a new link.'
          : describeHttpError(error);
        this.loadProblem.set(message);
        this.state.set({ status: 'error', message });
      },
    });
  }

  protected submit(event: Event): void {
    event.preventDefault();
    const info = this.info();
    if (!info || !this.token) {
      return;
    }
    this.submitError.set(null);
    const errors = checkNewPassword(this.password(), this.confirm(), info.email);
    this.errors.set(errors);
    if (errors.password || errors.confirm) {
      return;
    }
    this.submitting.set(true);
    this.api.acceptInvitation({ token: this.token, password: this.password() }).subscribe({
      next: (session) => {
        this.auth.signedIn(session);
        void this.router.navigateByUrl(homeFor(session.role), { replaceUrl: true });
      },
      error: (error: unknown) => {
        this.submitting.set(false);
        const problems = fieldProblems(error);
        if (problems.length > 0) {
          this.errors.set({
            password: problems.map((p) => problemSentence('The password', p.message)).join(' '),
          });
        } else if (error instanceof HttpErrorResponse && (error.status === 404 || error.status === 410)) {
          this.submitError.set('This link has expired or was already used. Ask your admin for a new link.');
        } else {
          this.submitError.set(`Your password was not saved. ${describeHttpError(error)}`);
        }
      },
    });
  }
}
