import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { AuthService } from '../core/auth.service';
import { SCREENS } from '../core/screens';

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
  protected readonly screens = SCREENS;
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
