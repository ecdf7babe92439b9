import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import type { InvitationCreated, Role, TeamUser } from '@hiresignal/shared';
import { ROLE_LABELS } from '../../core/access';
import { ApiService } from '../../core/api.service';
import { AuthService } from '../../core/auth.service';
import { describeHttpError } from '../../core/http-error';
import { LOADING, type LoadState, dataOf, errorOf, toLoadState } from '../../core/load-state';
import { OneTimeSecretComponent } from '../../ui/one-time-secret/one-time-secret.component';
import { formatWhen } from '../imports/imports-format';
import { ApiKeysComponent } from './api-keys.component';
import { ROLE_OPTIONS, USER_STATUS_LABELS, checkEmail, lastSignIn, statusDetail } from './team-format';

/** A single-use link just made for someone, shown until the admin dismisses it. */
interface IssuedLink {
  purpose: 'invitation' | 'reset';
  created: InvitationCreated;
}

@Component({
  selector: 'hs-team',
  imports: [ApiKeysComponent, OneTimeSecretComponent],
  templateUrl: './team.component.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TeamComponent {
  private readonly api = inject(ApiService);
  private readonly auth = inject(AuthService);

  protected readonly roles = ROLE_OPTIONS;
  protected readonly roleLabels = ROLE_LABELS;
  protected readonly statusLabels = USER_STATUS_LABELS;
  protected readonly statusDetail = statusDetail;
  protected readonly lastSignIn = lastSignIn;
  protected readonly formatWhen = formatWhen;
  protected readonly myUserId = computed(() => this.auth.session()?.userId ?? null);

  protected readonly usersState = signal<LoadState<TeamUser[]>>(LOADING);
  protected readonly users = computed(() => dataOf(this.usersState()) ?? []);
  protected readonly usersError = computed(() => errorOf(this.usersState()));

  protected readonly inviteEmail = signal('');
  protected readonly inviteRole = signal<Role>('recruiter');
  protected readonly inviteRoleSummary = computed(
    () => this.roles.find((r) => r.value === this.inviteRole())?.summary ?? '',
  );
  protected readonly inviteFieldError = signal<string | null>(null);
  protected readonly inviteError = signal<string | null>(null);
  protected readonly inviting = signal(false);

  protected readonly issued = signal<IssuedLink | null>(null);
  /** The user a row action is running for, so its buttons wait. */
  protected readonly busyUser = signal<string | null>(null);
  protected readonly rowError = signal<{ userId: string; message: string } | null>(null);

  constructor() {
    this.reload();
  }

  protected reload(): void {
    toLoadState(this.api.users()).subscribe((state) => {
      // Keep the table on screen while it refreshes.
      if (state.status !== 'loading' || this.usersState().status !== 'ready') {
        this.usersState.set(state);
      }
    });
  }

  protected invite(event: Event): void {
    event.preventDefault();
    const problem = checkEmail(this.inviteEmail());
    this.inviteFieldError.set(problem);
    this.inviteError.set(null);
    if (problem) {
      return;
    }
    this.inviting.set(true);
    this.api.invite(this.inviteEmail().trim(), this.inviteRole()).subscribe({
      next: (created) => {
        this.inviting.set(false);
        this.issued.set({ purpose: 'invitation', created });
        this.inviteEmail.set('');
        this.reload();
      },
      error: (error: unknown) => {
        this.inviting.set(false);
        this.inviteError.set(`The invitation was not created. ${describeHttpError(error)}`);
      },
    });
  }

  protected changeRole(user: TeamUser, select: HTMLSelectElement): void {
    const role = select.value as Role;
    if (role === user.role) {
      return;
    }
    this.patch(user, { role }, () => (select.value = user.role));
  }

  protected setDisabled(user: TeamUser, disabled: boolean): void {
    this.patch(user, { disabled });
  }

  protected resetPassword(user: TeamUser): void {
    this.busyUser.set(user.id);
    this.rowError.set(null);
    this.api.resetPassword(user.id).subscribe({
      next: (created) => {
        this.busyUser.set(null);
        this.issued.set({ purpose: 'reset', created });
      },
      error: (error: unknown) => {
        this.busyUser.set(null);
        this.rowError.set({
          userId: user.id,
          message: `No reset link was created for ${user.email}. ${describeHttpError(error)}`,
        });
      },
    });
  }

  private patch(user: TeamUser, patch: { role?: Role; disabled?: boolean }, undo?: () => void): void {
    this.busyUser.set(user.id);
    this.rowError.set(null);
    this.api.updateUser(user.id, patch).subscribe({
      next: (updated) => {
        this.busyUser.set(null);
        this.usersState.update((state) =>
          state.status === 'ready'
            ? { status: 'ready', data: state.data.map((u) => (u.id === updated.id ? updated : u)) }
            : state,
        );
      },
      error: (error: unknown) => {
        this.busyUser.set(null);
        undo?.();
        this.rowError.set({
          userId: user.id,
          message: `${user.email} was not changed. ${describeHttpError(error)}`,
        });
      },
    });
  }
}
