import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { ROLE_LABELS, ROLE_SUMMARIES } from '../../core/access';
import { AuthService } from '../../core/auth.service';
import { screenAt, screensFor } from '../../core/screens';

/** Where the role guard sends a role that opened a screen it may not use. */
@Component({
  selector: 'hs-not-available',
  imports: [RouterLink],
  template: `
    <section class="page" aria-labelledby="page-title" data-testid="not-available">
      <header class="page-header">
        <h1 id="page-title">{{ label() }} is not available for your role</h1>
        @if (role(); as r) {
          <p class="lede">
            You are signed in as {{ roleLabels[r].toLowerCase() }}: {{ roleSummaries[r] }} Ask an admin of
            your organization if you need more.
          </p>
        }
      </header>
      @if (allowed().length > 0) {
        <div class="card notice">
          <p>Your screens:</p>
          <ul>
            @for (s of allowed(); track s.path) {
              <li>
                <a [routerLink]="['/', s.path]">{{ s.label }}</a>
              </li>
            }
          </ul>
        </div>
      }
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotAvailableComponent {
  private readonly auth = inject(AuthService);

  /** The path that was refused, from the query string. */
  readonly screen = input<string | undefined>();

  protected readonly roleLabels = ROLE_LABELS;
  protected readonly roleSummaries = ROLE_SUMMARIES;
  protected readonly role = computed(() => this.auth.session()?.role ?? null);
  protected readonly label = computed(() => {
    const path = this.screen();
    return (path && screenAt(path)?.label) || 'That screen';
  });
  protected readonly allowed = computed(() => {
    const role = this.role();
    return role ? screensFor(role) : [];
  });
}
