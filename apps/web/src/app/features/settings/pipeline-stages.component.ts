import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import type { PipelineStagesSetting } from '@hiresignal/shared';
import { API_BASE } from '../../core/api.service';
import { describeHttpError } from '../../core/http-error';
import { type LoadState, LOADING, dataOf, errorOf, toLoadState } from '../../core/load-state';
import { stageLabel, validateStageList } from './pipeline-stages-form';

/**
 * The funnel's ordered pipeline stages (GET/PUT /api/v1/settings/pipeline-stages). An admin reorders, adds and
 * removes stages or returns to following the data; everyone else sees the list read-only. Beside it, every stage
 * name seen in the stage events with its event count, and whether the list maps it (unmapped events are counted
 * apart in the funnel, never dropped).
 */
@Component({
  selector: 'hs-pipeline-stages',
  template: `
    <section class="card settings-form" aria-labelledby="stages-title" data-testid="pipeline-stages">
      <h2 id="stages-title">Funnel pipeline stages</h2>
      <p class="muted">
        The order candidates move through on the Funnel screen. "Applied" is always the first step. A stage
        event on a name that is not in this list is counted as unmapped, never dropped.
      </p>
      @switch (state().status) {
        @case ('loading') {
          <p role="status"><span class="spinner" aria-hidden="true"></span> Loading stages…</p>
        }
        @case ('error') {
          <p class="alert alert-error" role="alert" data-testid="stages-error">
            The stages could not be loaded. {{ loadError() }}
          </p>
        }
        @default {
          <p data-testid="stages-source">
            @if (current()?.source === 'settings') {
              This organization's own list.
            } @else {
              Following the data: the stages seen in the stage events, in their usual order.
            }
          </p>
          @if (editable()) {
            <form novalidate (submit)="save($event)" data-testid="stages-form">
              <ol class="stage-list">
                @for (stage of draft(); track $index; let i = $index, first = $first, last = $last) {
                  <li class="stage-row" data-testid="stage-row">
                    <label class="visually-hidden" [for]="'stage-' + i">Stage {{ i + 1 }}</label>
                    <input
                      [id]="'stage-' + i"
                      type="text"
                      [value]="stage"
                      [attr.data-testid]="'stage-input-' + i"
                      (input)="rename(i, $any($event.target).value)"
                    />
                    <button
                      type="button"
                      class="button button-ghost"
                      [disabled]="first"
                      [attr.aria-label]="'Move ' + (stage || 'stage ' + (i + 1)) + ' up'"
                      (click)="move(i, -1)"
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      class="button button-ghost"
                      [disabled]="last"
                      [attr.aria-label]="'Move ' + (stage || 'stage ' + (i + 1)) + ' down'"
                      [attr.data-testid]="'stage-down-' + i"
                      (click)="move(i, 1)"
                    >
                      ↓
                    </button>
                    <button
                      type="button"
                      class="button button-ghost"
                      [attr.aria-label]="'Remove ' + (stage || 'stage ' + (i + 1))"
                      (click)="remove(i)"
                    >
                      Remove
                    </button>
                  </li>
                }
              </ol>
              @if (formError(); as message) {
                <p class="field-error" role="alert" data-testid="stages-form-error">{{ message }}</p>
              }
              <div class="form-actions">
                <button type="button" class="button button-ghost" (click)="add()">Add a stage</button>
                <button
                  type="submit"
                  class="button button-primary"
                  data-testid="stages-save"
                  [disabled]="saving()"
                >
                  {{ saving() ? 'Saving…' : 'Save stages' }}
                </button>
                <button type="button" class="button button-ghost" [disabled]="saving()" (click)="reset()">
                  Undo changes
                </button>
                <button
                  type="button"
                  class="button button-ghost"
                  [disabled]="saving() || current()?.source === 'data'"
                  (click)="followData()"
                >
                  Follow the data
                </button>
                @if (saved()) {
                  <span class="ok-text" role="status" data-testid="stages-saved"
                    >Saved. The funnel uses this list.</span
                  >
                }
              </div>
              @if (saveError(); as message) {
                <p class="alert alert-error" role="alert">{{ message }}</p>
              }
            </form>
          } @else {
            <ol class="stage-list" data-testid="stages-view">
              @for (stage of current()?.stages ?? []; track stage) {
                <li>
                  {{ label(stage) }} <span class="muted">({{ stage }})</span>
                </li>
              }
            </ol>
            <p class="muted">Only an admin can change the stages.</p>
          }
          @if ((current()?.seen ?? []).length > 0) {
            <div
              class="table-wrap"
              tabindex="0"
              role="region"
              aria-label="Stage names seen in the stage events"
            >
              <table class="data-table" data-testid="stages-seen">
                <caption class="visually-hidden">
                  Stage names seen in the stage events
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Stage seen in the data</th>
                    <th scope="col" class="num">Events</th>
                    <th scope="col">In the list</th>
                  </tr>
                </thead>
                <tbody>
                  @for (s of current()?.seen ?? []; track s.stage) {
                    <tr>
                      <td>{{ s.stage }}</td>
                      <td class="num">{{ s.events }}</td>
                      <td>
                        @if (s.mapped) {
                          <span class="badge badge-ok">mapped</span>
                        } @else {
                          <span class="badge badge-warn">unmapped</span>
                        }
                      </td>
                    </tr>
                  }
                </tbody>
              </table>
            </div>
          }
        }
      }
    </section>
  `,
  styles: `
    :host {
      display: block;
    }
    .table-wrap {
      margin-top: 1rem;
    }
    .stage-list {
      padding-left: 1.5rem;
    }
    .stage-row {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      align-items: center;
      margin-bottom: 0.5rem;
    }
    .stage-row input {
      flex: 1 1 12rem;
      min-width: 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PipelineStagesComponent {
  private readonly http = inject(HttpClient);
  /** Whether the signed-in user may change the list (admin). */
  readonly editable = input(false);

  protected readonly state = signal<LoadState<PipelineStagesSetting>>(LOADING);
  protected readonly current = computed(() => dataOf(this.state()));
  protected readonly loadError = computed(() => errorOf(this.state()));
  protected readonly draft = signal<string[]>([]);
  protected readonly formError = signal<string | null>(null);
  protected readonly saving = signal(false);
  protected readonly saved = signal(false);
  protected readonly saveError = signal<string | null>(null);
  protected readonly label = stageLabel;

  constructor() {
    toLoadState(this.http.get<PipelineStagesSetting>(`${API_BASE}/settings/pipeline-stages`)).subscribe(
      (state) => this.loaded(state),
    );
  }

  /** Whether the list being edited differs from the saved one. */
  hasUnsavedChanges(): boolean {
    const saved = this.current()?.stages;
    if (!this.editable() || !saved) return false;
    const draft = this.draft().map((s) => s.trim());
    return draft.length !== saved.length || draft.some((stage, i) => stage !== saved[i]);
  }

  protected rename(i: number, value: string): void {
    this.edit((list) => list.map((s, j) => (j === i ? value : s)));
  }

  protected move(i: number, by: -1 | 1): void {
    this.edit((list) => {
      const next = [...list];
      const j = i + by;
      if (j < 0 || j >= next.length) return next;
      [next[i], next[j]] = [next[j], next[i]];
      return next;
    });
  }

  protected remove(i: number): void {
    this.edit((list) => list.filter((_, j) => j !== i));
  }

  protected add(): void {
    this.edit((list) => [...list, '']);
  }

  protected reset(): void {
    this.draft.set([...(this.current()?.stages ?? [])]);
    this.formError.set(null);
    this.saved.set(false);
  }

  protected save(event: Event): void {
    event.preventDefault();
    const { stages, error } = validateStageList(this.draft());
    this.formError.set(error);
    if (!stages) return;
    this.put(stages);
  }

  protected followData(): void {
    this.formError.set(null);
    this.put(null);
  }

  private put(stages: string[] | null): void {
    this.saving.set(true);
    this.saveError.set(null);
    this.http.put<PipelineStagesSetting>(`${API_BASE}/settings/pipeline-stages`, { stages }).subscribe({
      next: (setting) => {
        this.saving.set(false);
        this.saved.set(true);
        this.loaded({ status: 'ready', data: setting });
      },
      error: (error: unknown) => {
        this.saving.set(false);
        this.saveError.set(`The stages were not saved. ${describeHttpError(error)}`);
      },
    });
  }

  private loaded(state: LoadState<PipelineStagesSetting>): void {
    this.state.set(state);
    if (state.status === 'ready') this.draft.set([...state.data.stages]);
  }

  private edit(change: (list: string[]) => string[]): void {
    this.draft.update(change);
    this.saved.set(false);
    if (this.formError()) this.formError.set(validateStageList(this.draft()).error);
  }
}
