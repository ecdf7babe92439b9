import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router } from '@angular/router';
import { AuthService } from '../../core/auth.service';
import { describeHttpError } from '../../core/http-error';
import { safeReturnUrl } from '../../core/return-url';
import { SCREENS } from '../../core/screens';

@Component({
  selector: 'hs-login',
  imports: [ReactiveFormsModule],
  templateUrl: './login.component.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginComponent {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);

  /** Query parameter set by the guard or the 401 interceptor. */
  readonly returnUrl = input<string | undefined>();
  /** `expired` when the 401 interceptor sent a signed-in user here because the session ended. */
  readonly reason = input<string | undefined>();
  protected readonly expired = computed(() => this.reason() === 'expired');

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
  });
  protected readonly submitting = signal(false);
  protected readonly error = signal<string | null>(null);
  private prefetched = false;

  /**
   * As soon as the user starts typing, fetch the code of the frame and of the screen they will land on (the return
   * URL's, else the first screen), so that after the password check the first chart waits only for its data.
   */
  protected prefetch(): void {
    if (this.prefetched) return;
    this.prefetched = true;
    const target = safeReturnUrl(this.returnUrl(), `/${SCREENS[0]?.path ?? ''}`)
      .split(/[?#]/)[0]
      .slice(1);
    const frame = this.router.config.find((route) => route.path === '' && route.children);
    const screen = frame?.children?.find((route) => route.path === target);
    for (const load of [frame?.loadComponent, screen?.loadComponent]) {
      if (load) void Promise.resolve(load()).catch(() => undefined);
    }
  }

  protected submit(): void {
    this.prefetch();
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      this.error.set('Enter your work email and password.');
      return;
    }
    this.submitting.set(true);
    this.error.set(null);
    this.auth.login(this.form.getRawValue()).subscribe({
      next: () => {
        this.submitting.set(false);
        // Without a return URL, '/' sends each role to its own first screen.
        void this.router.navigateByUrl(safeReturnUrl(this.returnUrl(), '/'));
      },
      error: (err: unknown) => {
        this.submitting.set(false);
        this.error.set(
          err instanceof HttpErrorResponse && err.status === 401
            ? 'That email and password do not match an account. Check them and try again.'
            : describeHttpError(err),
        );
        this.form.controls.password.reset();
      },
    });
  }
}
