import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { AuthService } from '../core/auth.service';
import { ROLE_LABELS } from '../core/access';
import { screensFor } from '../core/screens';

@Component({
  selector: 'hs-shell',
  imports: [RouterOutlet, RouterLink, RouterLinkActive],
  templateUrl: './shell.component.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ShellComponent {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);

  protected readonly session = this.auth.session;
  protected readonly roleLabels = ROLE_LABELS;
  /** Only the screens the signed-in role may use. */
  protected readonly screens = computed(() => {
    const session = this.session();
    return session ? screensFor(session.role) : [];
  });
  protected readonly signingOut = signal(false);

  protected logout(): void {
    this.signingOut.set(true);
    this.auth.logout().subscribe({
      complete: () => {
        this.signingOut.set(false);
        void this.router.navigate(['/login']);
      },
    });
  }
}
