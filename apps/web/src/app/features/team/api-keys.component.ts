import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import type { ApiKeyCreated, ApiKeySummary, Role } from '@hiresignal/shared';
import { ROLE_LABELS } from '../../core/access';
import { ApiService } from '../../core/api.service';
import { describeHttpError } from '../../core/http-error';
import { LOADING, type LoadState, dataOf, errorOf, toLoadState } from '../../core/load-state';
import { OneTimeSecretComponent } from '../../ui/one-time-secret/one-time-secret.component';
import { formatWhen } from '../imports/imports-format';
import {
  KEY_STATUS_LABELS,
  ROLE_OPTIONS,
  checkExpiry,
  checkKeyName,
  createdByText,
  expiryFromDate,
  tomorrow,
} from './team-format';

/** API keys: for systems that send records or read reports without a person signing in. */
@Component({
  selector: 'hs-api-keys',
  imports: [OneTimeSecretComponent],
  template: `
    <section class="card section" aria-labelledby="keys-title" data-testid="api-keys">
      <h2 id="keys-title">API keys</h2>
      <p class="small muted">
        A key lets another system (an ATS sync, a script) use the API with the role you give it. Give each
        system its own key so you can revoke one without stopping the others.
      </p>
      <form class="key-form" novalidate data-testid="key-form" (submit)="create($event)">
        <div class="form-grid form-grid-3">
          <div class="field">
            <label for="key-name">Name</label>
            <input
              id="key-name"
              type="text"
              autocomplete="off"
              data-testid="key-name"
              [value]="name()"
              [attr.aria-invalid]="!!nameError()"
              [attr.aria-describedby]="nameError() ? 'key-name-error' : null"
              (input)="name.set($any($event.target).value); nameError.set(null)"
            />
            @if (nameError(); as message) {
              <p class="field-error" id="key-name-error" role="alert">{{ message }}</p>
            }
          </div>
          <div class="field">
            <label for="key-role">Role</label>
            <select
              id="key-role"
              data-testid="key-role"
              aria-describedby="key-role-help"
              (change)="role.set($any($event.target).value)"
            >
              @for (option of roles; track option.value) {
                <option [value]="option.value" [selected]="option.value === role()">
                  {{ option.label }}
                </option>
              }
            </select>
            <p class="field-help muted" id="key-role-help">{{ roleSummary() }}</p>
          </div>
          <div class="field">
            <label for="key-expiry">Expires on (optional)</label>
            <input
              id="key-expiry"
              type="date"
              data-testid="key-expiry"
              aria-describedby="key-expiry-help"
              [min]="minExpiry"
              [value]="expiry()"
              [attr.aria-invalid]="!!expiryError()"
              (input)="expiry.set($any($event.target).value); expiryError.set(null)"
            />
            @if (expiryError(); as message) {
              <p class="field-error" role="alert">{{ message }}</p>
            }
            <p class="field-help muted" id="key-expiry-help">
              The key stops working at 00:00 that day. Leave empty for no expiry.
            </p>
          </div>
        </div>
        <div class="form-actions">
          <button
            type="submit"
            class="button button-primary"
            data-testid="key-submit"
            [disabled]="creating()"
          >
            {{ creating() ? 'Creating the key…' : 'Create API key' }}
          </button>
        </div>
        @if (formError(); as message) {
          <p class="alert alert-error" role="alert" data-testid="key-error">{{ message }}</p>
        }
      </form>

      @if (created(); as key) {
        <hs-one-time-secret
          class="block"
          id="created-key"
          testId="created-key"
          [title]="'API key ' + key.name"
          label="API key"
          [value]="key.key"
          note="Copy it now: you will not see this key again. Store it where the system that uses it keeps its secrets. If it is lost, revoke it and create a new one."
          (dismissed)="created.set(null)"
        />
      }

      @if (rowError(); as message) {
        <p class="alert alert-error" role="alert" data-testid="key-row-error">{{ message }}</p>
      }
      @if (listError(); as message) {
        <p class="alert alert-error" role="alert">The API keys could not be listed. {{ message }}</p>
      } @else if (state().status === 'loading') {
        <p class="muted" role="status"><span class="spinner" aria-hidden="true"></span> Loading…</p>
      } @else if (keys().length === 0) {
        <p class="muted" data-testid="keys-empty">No API keys yet.</p>
      } @else {
        <div class="table-wrap bleed">
          <table class="data-table">
            <caption class="visually-hidden">
              API keys, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Starts with</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">Status</th>
                <th scope="col"><span class="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              @for (k of keys(); track k.id) {
                <tr
                  data-testid="key-row"
                  [attr.data-name]="k.name"
                  [attr.data-status]="k.status"
                  [class.row-muted]="k.status !== 'active'"
                >
                  <th scope="row">{{ k.name }}</th>
                  <td>
                    <code>{{ k.prefix }}…</code>
                  </td>
                  <td>{{ roleLabels[k.role] }}</td>
                  <td>
                    <span class="nowrap">{{ formatWhen(k.createdAt) }}</span>
                    <small class="muted block">by {{ createdBy(k) }}</small>
                  </td>
                  <td class="nowrap">{{ k.lastUsedAt ? formatWhen(k.lastUsedAt) : 'Never' }}</td>
                  <td class="nowrap">{{ k.expiresAt ? formatWhen(k.expiresAt) : 'Never' }}</td>
                  <td>
                    <span class="badge" [class]="'badge key-' + k.status" data-testid="key-status">{{
                      statusLabels[k.status]
                    }}</span>
                  </td>
                  <td class="row-actions">
                    @if (k.status !== 'revoked') {
                      @if (confirming() === k.id) {
                        <span class="small" [id]="'revoke-q-' + k.id">Revoke for good?</span>
                        <button
                          type="button"
                          class="button button-danger"
                          data-testid="key-revoke-confirm"
                          [attr.aria-describedby]="'revoke-q-' + k.id"
                          [disabled]="busy() === k.id"
                          (click)="revoke(k)"
                        >
                          Revoke
                        </button>
                        <button type="button" class="button button-ghost" (click)="confirming.set(null)">
                          Keep
                        </button>
                      } @else {
                        <button
                          type="button"
                          class="button button-ghost"
                          data-testid="key-revoke"
                          [attr.aria-label]="'Revoke ' + k.name"
                          (click)="confirming.set(k.id)"
                        >
                          Revoke…
                        </button>
                      }
                    }
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </div>
        <p class="small muted">A revoked key stops working at once and cannot be restored.</p>
      }
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ApiKeysComponent {
  private readonly api = inject(ApiService);

  protected readonly roles = ROLE_OPTIONS;
  protected readonly roleLabels = ROLE_LABELS;
  protected readonly statusLabels = KEY_STATUS_LABELS;
  protected readonly formatWhen = formatWhen;
  protected readonly createdBy = createdByText;
  protected readonly minExpiry = tomorrow();

  protected readonly state = signal<LoadState<ApiKeySummary[]>>(LOADING);
  protected readonly keys = computed(() => dataOf(this.state()) ?? []);
  protected readonly listError = computed(() => errorOf(this.state()));

  protected readonly name = signal('');
  protected readonly role = signal<Role>('analyst');
  protected readonly roleSummary = computed(
    () => this.roles.find((r) => r.value === this.role())?.summary ?? '',
  );
  protected readonly expiry = signal('');
  protected readonly nameError = signal<string | null>(null);
  protected readonly expiryError = signal<string | null>(null);
  protected readonly formError = signal<string | null>(null);
  protected readonly creating = signal(false);
  protected readonly created = signal<ApiKeyCreated | null>(null);

  protected readonly confirming = signal<string | null>(null);
  protected readonly busy = signal<string | null>(null);
  protected readonly rowError = signal<string | null>(null);

  constructor() {
    this.reload();
  }

  private reload(): void {
    toLoadState(this.api.apiKeys()).subscribe((state) => {
      if (state.status !== 'loading' || this.state().status !== 'ready') {
        this.state.set(state);
      }
    });
  }

  protected create(event: Event): void {
    event.preventDefault();
    this.nameError.set(checkKeyName(this.name()));
    this.expiryError.set(checkExpiry(this.expiry()));
    this.formError.set(null);
    if (this.nameError() || this.expiryError()) {
      return;
    }
    this.creating.set(true);
    this.api
      .createApiKey({ name: this.name().trim(), role: this.role(), expiresAt: expiryFromDate(this.expiry()) })
      .subscribe({
        next: (key) => {
          this.creating.set(false);
          this.created.set(key);
          this.name.set('');
          this.expiry.set('');
          this.reload();
        },
        error: (error: unknown) => {
          this.creating.set(false);
          this.formError.set(`The key was not created. ${describeHttpError(error)}`);
        },
      });
  }

  protected revoke(key: ApiKeySummary): void {
    this.busy.set(key.id);
    this.rowError.set(null);
    this.api.revokeApiKey(key.id).subscribe({
      next: () => {
        this.busy.set(null);
        this.confirming.set(null);
        if (this.created()?.id === key.id) {
          this.created.set(null);
        }
        this.reload();
      },
      error: (error: unknown) => {
        this.busy.set(null);
        this.rowError.set(`The key "${key.name}" was not revoked. ${describeHttpError(error)}`);
      },
    });
  }
}
