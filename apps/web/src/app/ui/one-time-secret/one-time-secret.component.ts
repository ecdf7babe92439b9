import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';

/**
 * A link or key the server shows only once: a read-only field to select, a copy button, and what to do with it.
 */
@Component({
  selector: 'hs-one-time-secret',
  template: `
    <div
      class="secret-once"
      role="region"
      [attr.aria-labelledby]="id() + '-title'"
      [attr.data-testid]="testId()"
    >
      <h3 [id]="id() + '-title'">{{ title() }}</h3>
      <p class="small">{{ note() }}</p>
      <div class="secret-row">
        <label class="visually-hidden" [for]="id()">{{ label() }}</label>
        <input
          #field
          readonly
          type="text"
          spellcheck="false"
          [id]="id()"
          [value]="value()"
          [attr.data-testid]="testId() + '-value'"
          (focus)="field.select()"
        />
        <button type="button" class="button button-primary" (click)="copy(field)">
          {{ copied() ? 'Copied' : 'Copy' }}
        </button>
        <button type="button" class="button button-ghost" (click)="dismissed.emit()">Done</button>
      </div>
      <p class="small muted" role="status">{{ copied() ? 'Copied to the clipboard.' : '' }}</p>
    </div>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OneTimeSecretComponent {
  readonly id = input.required<string>();
  readonly title = input.required<string>();
  readonly label = input.required<string>();
  readonly value = input.required<string>();
  readonly note = input('');
  readonly testId = input('one-time-secret');
  readonly dismissed = output<void>();

  protected readonly copied = signal(false);

  protected copy(field: HTMLInputElement): void {
    field.select();
    const done = () => this.copied.set(true);
    if (navigator.clipboard?.writeText) {
      navigator.clipboard.writeText(this.value()).then(done, () => this.fallbackCopy(done));
    } else {
      this.fallbackCopy(done);
    }
  }

  /** Clipboard API refused (plain http, no permission): the field is selected, so the old command still works. */
  private fallbackCopy(done: () => void): void {
    if (document.execCommand('copy')) {
      done();
    }
  }
}
