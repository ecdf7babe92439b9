import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { AuthService } from '../../core/auth.service';
import { screensFor } from '../../core/screens';

/** Any address the dashboard does not have: said plainly, with the screens the user can open instead. */
@Component({
  selector: 'hs-not-found',
  imports: [RouterLink],
  template: `
    <section class="page" aria-labelledby="page-title" data-testid="not-found">
      <header class="page-header">
        <p class="eyebrow">Page not found</p>
        <h1 id="page-title">There is no page at this address</h1>
        <p class="lede">
          Nothing in HireSignal lives at <code class="path" data-testid="not-found-path">{{ path }}</code
          >. The link may be mistyped, or the page may have moved.
        </p>
      </header>
      @if (screens().length > 0) {
        <nav class="card notice" aria-label="Your screens">
          <p>Go to one of your screens:</p>
          <ul>
            @for (s of screens(); track s.path) {
              <li>
                <a [routerLink]="['/', s.path]">{{ s.label }}</a>
              </li>
            }
          </ul>
        </nav>
      }
    </section>
  `,
  styles: `
    .path {
      overflow-wrap: anywhere;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotFoundComponent {
  private readonly auth = inject(AuthService);
  /** The address as typed, without its query string. */
  protected readonly path = inject(Router).url.split(/[?#]/)[0];
  protected readonly screens = computed(() => {
    const role = this.auth.session()?.role;
    return role ? screensFor(role) : [];
  });
}
