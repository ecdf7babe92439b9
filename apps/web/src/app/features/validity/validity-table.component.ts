import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { CriterionValidity } from '@hiresignal/shared';
import { criterionLabel, formatCorrelation, formatInterval, formatPValue } from './validity-format';

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
              <abbr class="stat" title="Hires with both a score and a performance rating">n</abbr>
            </th>
            <th scope="col" class="num"><abbr class="stat" title="Observed Pearson correlation">r</abbr></th>
            <th scope="col" class="num">95% CI</th>
            <th scope="col" class="num"><abbr class="stat" title="Two-sided p value">p</abbr></th>
            <th scope="col">Sample</th>
          </tr>
        </thead>
        <tbody>
          @for (row of rows(); track row.criterion) {
            <tr
              data-testid="validity-row"
              [attr.data-criterion]="row.criterion"
              [attr.data-sufficient]="row.sufficient"
              [class.row-muted]="!row.sufficient"
            >
              <th scope="row">{{ label(row.criterion) }}</th>
              <td class="num">{{ row.n }}</td>
              <td class="num" data-testid="validity-r">{{ r(row.r) }}</td>
              <td class="num nowrap">{{ ci(row.ciLow, row.ciHigh) }}</td>
              <td class="num">{{ p(row.pValue) }}</td>
              <td>
                @if (row.sufficient) {
                  <span class="badge badge-ok">Sufficient</span>
                } @else {
                  <span class="badge badge-muted" [title]="'Fewer than ' + minimumSample() + ' hires'"
                    >Insufficient</span
                  >
                }
              </td>
            </tr>
          }
        </tbody>
      </table>
    </div>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ValidityTableComponent {
  readonly rows = input.required<readonly CriterionValidity[]>();
  readonly minimumSample = input.required<number>();
  readonly caption = input('Observed validity by criterion');

  protected readonly label = criterionLabel;
  protected readonly r = formatCorrelation;
  protected readonly ci = formatInterval;
  protected readonly p = formatPValue;
}
