import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { Screen } from '../../core/screens';

/** Stands in for a screen that is planned but not built yet, and says what it will show. */
@Component({
  selector: 'hs-placeholder',
  imports: [RouterLink],
  template: `
    <section class="page" aria-labelledby="page-title" data-testid="placeholder">
      <header class="page-header">
        <p class="eyebrow">Coming soon · for {{ screen().audience.toLowerCase() }}</p>
        <h1 id="page-title">{{ screen().label }}</h1>
        <p class="lede">{{ screen().summary }}</p>
      </header>
      <div class="card notice">
        <p>
          This screen is not built yet. The first analysis available is
          <a routerLink="/validity">criterion validity</a>: which interview criteria predict performance after
          hire.
        </p>
      </div>
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PlaceholderComponent {
  /** Bound from the route's data by withComponentInputBinding(). */
  readonly screen = input.required<Screen>();
}
