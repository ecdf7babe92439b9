import { ChangeDetectionStrategy, Component, computed, inject, signal, viewChild } from '@angular/core';
import type { OrganizationSettings } from '@hiresignal/shared';
import { can } from '../../core/access';
import { ApiService } from '../../core/api.service';
import { AuthService } from '../../core/auth.service';
import { describeHttpError } from '../../core/http-error';
import { type LoadState, LOADING, dataOf, errorOf, toLoadState } from '../../core/load-state';
import { type HasUnsavedChanges, warnBeforeUnload } from '../../core/unsaved-changes.guard';
import { PipelineStagesComponent } from './pipeline-stages.component';
import {
  type SettingsDraft,
  type SettingsErrors,
  type SettingsField,
  sameDraft,
  toDraft,
  validateSettings,
} from './settings-form';

interface FieldSpec {
  key: SettingsField;
  label: string;
  help: string;
  step: string;
  min: string;
  max: string;
}

const FIELDS: readonly FieldSpec[] = [
  {
    key: 'successThreshold',
    label: 'Successful hire: latest rating at least',
    help: 'A hire counts as a success when their latest performance rating reaches this and they did not leave involuntarily or regretted within a year. Default 4 (of 5).',
    step: '0.5',
    min: '0',
    max: '100',
  },
  {
    key: 'minimumSample',
    label: 'Minimum sample (hires with an outcome)',
    help: 'Below this many hires a result is marked "insufficient data": still shown, but too uncertain to act on. Default 30.',
    step: '1',
    min: '4',
    max: '1000000',
  },
  {
    key: 'smallCellK',
    label: 'Smallest group shown (k)',
    help: 'In the fairness views and exports, a group of fewer than this many people is shown as "suppressed", with no count or rate, so nobody in a small group can be singled out. Default 5.',
    step: '1',
    min: '1',
    max: '1000',
  },
  {
    key: 'criterionReliability',
    label: 'Reliability of performance ratings (r_yy)',
    help: 'Used to compute operational validity. Default .52, the interrater reliability of supervisory ratings (Viswesvaran, Ones and Schmidt 1996). Change it only if you have measured your own.',
    step: '0.01',
    min: '0.01',
    max: '1',
  },
];

@Component({
  selector: 'hs-settings',
  imports: [PipelineStagesComponent],
  template: `
    <section class="page" aria-labelledby="page-title">
      <header class="page-header">
        <h1 id="page-title">Settings</h1>
        <p class="lede">
          What counts as a successful hire here, how much data a result needs before you act on it, and the
          stages of the funnel.
        </p>
      </header>
      @switch (state().status) {
        @case ('loading') {
          <div class="card state" role="status">
            <span class="spinner" aria-hidden="true"></span> Loading settings…
          </div>
        }
        @case ('error') {
          <div class="card state state-error" role="alert" data-testid="settings-error">
            <p><strong>The settings could not be loaded.</strong> {{ loadError() }}</p>
          </div>
        }
        @default {
          <div class="settings-columns">
            @if (isAdmin()) {
              <form class="card settings-form" data-testid="settings-form" novalidate (submit)="save($event)">
                <h2>Analysis settings</h2>
                @for (field of fields; track field.key) {
                  <div class="field">
                    <label [for]="'setting-' + field.key">{{ field.label }}</label>
                    <input
                      [id]="'setting-' + field.key"
                      type="number"
                      inputmode="decimal"
                      [attr.data-testid]="'setting-' + field.key"
                      [step]="field.step"
                      [min]="field.min"
                      [max]="field.max"
                      [value]="draft()[field.key]"
                      [attr.aria-invalid]="!!errors()[field.key]"
                      [attr.aria-describedby]="
                        'setting-' +
                        field.key +
                        '-help' +
                        (errors()[field.key] ? ' setting-' + field.key + '-error' : '')
                      "
                      (input)="update(field.key, $any($event.target).value)"
                    />
                    @if (errors()[field.key]; as message) {
                      <p
                        class="field-error"
                        role="alert"
                        [attr.data-testid]="'setting-' + field.key + '-error'"
                      >
                        {{ message }}
                      </p>
                    }
                    <p class="field-help muted" [id]="'setting-' + field.key + '-help'">{{ field.help }}</p>
                  </div>
                }
                <div class="form-actions">
                  <button
                    type="submit"
                    class="button button-primary"
                    data-testid="settings-save"
                    [disabled]="saving()"
                  >
                    {{ saving() ? 'Saving…' : 'Save settings' }}
                  </button>
                  <button type="button" class="button button-ghost" [disabled]="saving()" (click)="reset()">
                    Undo changes
                  </button>
                  @if (saved()) {
                    <span class="ok-text" role="status" data-testid="settings-saved"
                      >Saved. The analyses use the new settings.</span
                    >
                  }
                </div>
                @if (saveError(); as message) {
                  <p class="alert alert-error" role="alert">{{ message }}</p>
                }
              </form>
            } @else {
              <div class="card settings-form" data-testid="settings-view">
                <h2>Analysis settings</h2>
                <dl class="settings-list">
                  @for (field of fields; track field.key) {
                    <dt>{{ field.label }}</dt>
                    <dd>
                      <strong>{{ current()?.[field.key] }}</strong>
                      <span class="muted block">{{ field.help }}</span>
                    </dd>
                  }
                </dl>
                <p class="muted">Only an admin can change these.</p>
              </div>
            }
            <hs-pipeline-stages [editable]="isAdmin()" />
          </div>
        }
      }
    </section>
  `,
  // Wide screens put the two forms side by side instead of leaving half the window empty.
  styles: `
    .settings-columns {
      display: grid;
      grid-template-columns: minmax(0, 1fr);
      gap: 1rem;
      align-items: start;
    }
    @media (min-width: 1400px) {
      .settings-columns {
        grid-template-columns: repeat(2, minmax(0, 46rem));
      }
    }
  `,
  host: { '(window:beforeunload)': 'beforeUnload($event)' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SettingsComponent implements HasUnsavedChanges {
  private readonly api = inject(ApiService);
  private readonly auth = inject(AuthService);

  protected readonly fields = FIELDS;
  protected readonly isAdmin = computed(() => {
    const role = this.auth.session()?.role;
    return !!role && can(role, 'settingsWrite');
  });
  protected readonly state = signal<LoadState<OrganizationSettings>>(LOADING);
  protected readonly current = computed(() => dataOf(this.state()));
  protected readonly loadError = computed(() => errorOf(this.state()));
  protected readonly draft = signal<SettingsDraft>({
    criterionReliability: '',
    successThreshold: '',
    minimumSample: '',
    smallCellK: '',
  });
  protected readonly errors = signal<SettingsErrors>({});
  protected readonly saving = signal(false);
  protected readonly saved = signal(false);
  protected readonly saveError = signal<string | null>(null);
  private readonly stages = viewChild(PipelineStagesComponent);

  /** Edits in either form that are not saved (the route's guard asks before they are discarded). */
  hasUnsavedChanges(): boolean {
    const current = this.current();
    const settingsEdited = this.isAdmin() && !!current && !sameDraft(this.draft(), toDraft(current));
    return settingsEdited || (this.stages()?.hasUnsavedChanges() ?? false);
  }

  protected beforeUnload(event: BeforeUnloadEvent): void {
    warnBeforeUnload(event, this.hasUnsavedChanges());
  }

  constructor() {
    toLoadState(this.api.settings()).subscribe((state) => {
      this.state.set(state);
      if (state.status === 'ready') {
        this.draft.set(toDraft(state.data));
      }
    });
  }

  protected update(key: SettingsField, value: string): void {
    this.draft.update((draft) => ({ ...draft, [key]: value }));
    this.saved.set(false);
    if (this.errors()[key]) {
      this.errors.set(validateSettings(this.draft()).errors);
    }
  }

  protected reset(): void {
    const current = this.current();
    if (current) {
      this.draft.set(toDraft(current));
    }
    this.errors.set({});
    this.saved.set(false);
  }

  protected save(event: Event): void {
    event.preventDefault();
    const { value, errors } = validateSettings(this.draft());
    this.errors.set(errors);
    if (!value) {
      return;
    }
    this.saving.set(true);
    this.saveError.set(null);
    this.api.updateSettings(value).subscribe({
      next: (settings) => {
        this.saving.set(false);
        this.saved.set(true);
        this.state.set({ status: 'ready', data: settings });
        this.draft.set(toDraft(settings));
      },
      error: (error: unknown) => {
        this.saving.set(false);
        this.saveError.set(`The settings were not saved. ${describeHttpError(error)}`);
      },
    });
  }
}
