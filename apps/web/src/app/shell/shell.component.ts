import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  afterNextRender,
  computed,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { filter } from 'rxjs';
import { AuthService } from '../core/auth.service';
import { ROLE_LABELS } from '../core/access';
import { screensFor } from '../core/screens';
import { keepScrollRegionsFocusable } from '../core/scroll-regions';

/**
 * The signed-in frame: top bar, navigation and the screen. On wide screens the navigation is a side column; below
 * 1024 px it folds behind a Menu button (every screen stays one tap away, none scrolled out of sight).
 */
@Component({
  selector: 'hs-shell',
  imports: [RouterOutlet, RouterLink, RouterLinkActive],
  templateUrl: './shell.component.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ShellComponent {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly navToggle = viewChild.required<ElementRef<HTMLButtonElement>>('navToggle');

  protected readonly session = this.auth.session;
  protected readonly roleLabels = ROLE_LABELS;
  /** Only the screens the signed-in role may use. */
  protected readonly screens = computed(() => {
    const session = this.session();
    return session ? screensFor(session.role) : [];
  });
  protected readonly signingOut = signal(false);
  /** Whether the folded navigation is open (narrow screens only; wide ones always show it). */
  protected readonly navOpen = signal(false);

  constructor() {
    this.router.events
      .pipe(
        filter((event) => event instanceof NavigationEnd),
        takeUntilDestroyed(),
      )
      .subscribe(() => this.navOpen.set(false));
    const host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
    const destroyRef = inject(DestroyRef);
    afterNextRender(() => destroyRef.onDestroy(keepScrollRegionsFocusable(host)));
  }

  protected toggleNav(): void {
    this.navOpen.update((open) => !open);
  }

  /** Escape closes the open navigation and gives focus back to its button. */
  protected closeNav(refocus: boolean): void {
    if (!this.navOpen()) return;
    this.navOpen.set(false);
    if (refocus) this.navToggle().nativeElement.focus();
  }

  protected logout(): void {
    this.signingOut.set(true);
    // Leave the screen first: a screen with unsaved edits asks, and staying keeps the session.
    void this.router.navigate(['/login']).then((left) => {
      if (!left) {
        this.signingOut.set(false);
        return;
      }
      this.auth.logout().subscribe({ complete: () => this.signingOut.set(false) });
    });
  }
}
