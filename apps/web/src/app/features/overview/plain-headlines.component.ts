import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
// Types only: a value import from the shared barrel would pull its zod record schemas into the bundle.
import type { FunnelStage, OrganizationSettings, ValidityReport } from '@hiresignal/shared';
import { catchError, of } from 'rxjs';
import { ApiService } from '../../core/api.service';
import { DEFAULT_SETTINGS } from '../validity/validity-report';
import {
  readValidity,
  slowestStage,
  slowestStageSentence,
  weakestStep,
  weakestStepSentence,
} from './plain-language';

/**
 * The validity screen's headline in plain words: which criterion to consider dropping, then each criterion's
 * sentence (observed r and its 95% interval; the technical tables follow on the screen).
 */
@Component({
  selector: 'hs-validity-plain',
  template: `
    <div class="plain-headline" data-testid="validity-plain">
      <p class="headline" data-testid="validity-headline">{{ reading().headline }}</p>
      <ul class="plain-list">
        @for (c of reading().criteria; track c.criterion) {
          <li [class.muted]="c.verdict === 'wait'" [attr.data-verdict]="c.verdict">{{ c.sentence }}</li>
        }
        @if (reading().composite; as composite) {
          <li><strong>All criteria together:</strong> {{ composite.sentence }}</li>
        }
      </ul>
    </div>
  `,
  styles: `
    .plain-list {
      margin: -0.5rem 0 1rem;
      padding-left: 1.25rem;
      max-width: 90ch;
    }
    .plain-list li {
      margin: 0.2rem 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ValidityPlainComponent {
  readonly report = input.required<ValidityReport>();

  protected readonly reading = computed(() => {
    const report = this.report();
    return readValidity(report.criteria, report.composite, report.outcome, report.settings.minimumSample);
  });
}

/**
 * The funnel screen's headline in plain words: the weakest step and the slowest stage, among stages with at least
 * the organization's minimum sample (as on the overview).
 */
@Component({
  selector: 'hs-funnel-plain',
  template: `
    <p class="headline" data-testid="funnel-headline">{{ weakestText() }}</p>
    <p class="funnel-slowest" data-testid="funnel-slowest">{{ slowestText() }}</p>
  `,
  styles: `
    .funnel-slowest {
      margin-top: -0.5rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FunnelPlainComponent {
  readonly stages = input.required<readonly FunnelStage[]>();

  private readonly settings = toSignal(
    inject(ApiService)
      .settings()
      .pipe(catchError(() => of(DEFAULT_SETTINGS))),
    { initialValue: DEFAULT_SETTINGS as OrganizationSettings },
  );
  private readonly minimumN = computed(() => this.settings().minimumSample);

  protected readonly weakestText = computed(() =>
    weakestStepSentence(weakestStep(this.stages(), this.minimumN()), this.minimumN()),
  );
  protected readonly slowestText = computed(() =>
    slowestStageSentence(slowestStage(this.stages(), this.minimumN()), this.minimumN()),
  );
}
