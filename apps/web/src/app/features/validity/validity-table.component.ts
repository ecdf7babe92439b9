import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { NgTemplateOutlet } from '@angular/common';
import type { CriterionValidityDetail } from '@hiresignal/shared';
import type { Correction } from '../analytics/analytics-filters';
import {
  formatCorrelation,
  formatInterval,
  formatNumber,
  formatNumberInterval,
  formatPValue,
} from './validity-format';
import { TermComponent } from '../../ui/term/term.component';
import { correctedInterval, correctedR, sampleNeeded } from './validity-report';

/** The numbers behind the validity chart: observed r always, the chosen corrected r beside it. */
@Component({
  selector: 'hs-validity-table',
  template: `
    <div class="table-wrap">
      <table class="data-table" data-testid="validity-table">
        <caption>
          {{
            caption()
          }}
        </caption>
        <thead>
          <tr>
            <th scope="col">Criterion</th>
            <th scope="col" class="num">
              <hs-term class="stat" key="sample-size">n</hs-term>
            </th>
            <th scope="col" class="num">Observed <hs-term class="stat" key="validity-r">r</hs-term></th>
            <th scope="col" class="num"><hs-term key="confidence-interval">95% CI</hs-term></th>
            @if (corrected()) {
              <th scope="col" class="num" data-testid="validity-corrected-header">
                <hs-term [key]="correction() === 'range' ? 'range-restriction' : 'operational-validity'">{{
                  correctedHeader()
                }}</hs-term>
              </th>
              <th scope="col" class="num">95% CI</th>
            }
            @if (binary()) {
              <th scope="col" class="num">
                <hs-term key="auc">AUC</hs-term>
              </th>
              <th scope="col" class="num">
                <hs-term class="stat" key="point-biserial">r<sub>pb</sub></hs-term>
              </th>
            }
            <th scope="col" class="num">
              <hs-term class="stat" key="p-value">p</hs-term>
            </th>
            <th scope="col"><hs-term key="insufficient-data">Sample</hs-term></th>
          </tr>
        </thead>
        <tbody>
          @for (row of rows(); track row.criterion) {
            <tr
              data-testid="validity-row"
              [attr.data-criterion]="row.criterion"
              [attr.data-sufficient]="row.sufficient"
              [class.row-muted]="!row.sufficient"
              [class.row-selected]="row.criterion === selected()"
            >
              <th scope="row">
                <button
                  type="button"
                  class="link-button"
                  [attr.aria-label]="'Show detail for ' + row.label"
                  (click)="selectCriterion.emit(row.criterion)"
                >
                  {{ row.label }}
                </button>
              </th>
              <ng-container [ngTemplateOutlet]="cells" [ngTemplateOutletContext]="{ $implicit: row }" />
            </tr>
          }
        </tbody>
        @if (composite(); as row) {
          <tbody class="composite-body">
            <tr data-testid="validity-composite-row" [class.row-muted]="!row.sufficient">
              <th scope="row">Composite <span class="muted">(mean of criteria)</span></th>
              <ng-container [ngTemplateOutlet]="cells" [ngTemplateOutletContext]="{ $implicit: row }" />
            </tr>
          </tbody>
        }
      </table>
    </div>
    <ng-template #cells let-row>
      <td class="num">{{ row.n }}</td>
      <td class="num" data-testid="validity-r">{{ r(row.r) }}</td>
      <td class="num nowrap">{{ ci(row.ciLow, row.ciHigh) }}</td>
      @if (corrected()) {
        <td class="num strong" data-testid="validity-corrected-r">{{ r(correctedValue(row)) }}</td>
        <td class="num nowrap">{{ correctedCi(row) }}</td>
      }
      @if (binary()) {
        <td class="num nowrap">
          {{ n(row.auc) }} <span class="muted">{{ nci(row.aucCiLow, row.aucCiHigh) }}</span>
        </td>
        <td class="num">{{ r(row.pointBiserial) }}</td>
      }
      <td class="num">{{ p(row.pValue) }}</td>
      <td>
        @if (row.sufficient) {
          <span class="badge badge-ok">Sufficient</span>
        } @else {
          <span class="badge badge-muted" [title]="need(row)">Insufficient data</span>
        }
      </td>
    </ng-template>
  `,
  imports: [NgTemplateOutlet, TermComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ValidityTableComponent {
  readonly rows = input.required<readonly CriterionValidityDetail[]>();
  readonly composite = input<CriterionValidityDetail | null>(null);
  readonly minimumSample = input.required<number>();
  readonly correction = input<Correction>('none');
  readonly binary = input(false);
  readonly selected = input<string | null>(null);
  readonly caption = input('Observed validity by criterion');
  readonly selectCriterion = output<string>();

  protected readonly corrected = computed(() => this.correction() !== 'none');
  protected readonly correctedHeader = computed(() =>
    this.correction() === 'range' ? 'Range-restriction corrected r' : 'Operational validity',
  );

  protected readonly r = formatCorrelation;
  protected readonly ci = formatInterval;
  protected readonly p = formatPValue;
  protected readonly n = (value: number | null) => formatNumber(value, 2).replace(/^0\./, '.');
  protected readonly nci = (low: number | null, high: number | null) =>
    low === null || high === null ? '' : formatNumberInterval(low, high).replace(/(\[|, )0\./g, '$1.');

  protected correctedValue(row: CriterionValidityDetail): number | null {
    return correctedR(row, this.correction());
  }

  protected correctedCi(row: CriterionValidityDetail): string {
    const interval = correctedInterval(row, this.correction());
    return interval ? formatInterval(interval[0], interval[1]) : '—';
  }

  protected need(row: CriterionValidityDetail): string {
    return sampleNeeded(row, this.minimumSample());
  }
}
