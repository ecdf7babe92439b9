import {
  ChangeDetectionStrategy,
  Component,
  type ElementRef,
  type OnDestroy,
  computed,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { NgTemplateOutlet } from '@angular/common';
import { RouterLink } from '@angular/router';
import { glossaryTerm } from '../../core/glossary-terms';

let nextId = 0;

/** How long after opening a click is taken as the same gesture (a tap focuses, then clicks). */
const SAME_GESTURE_MS = 400;
/** Pointer leaving the term closes it after this delay, so it can cross the gap into the bubble. */
const LEAVE_DELAY_MS = 200;

/**
 * A statistic's label with its one-line meaning: `<hs-term key="validity-r">Validity r</hs-term>`. The meaning
 * opens on hover, on keyboard focus and on tap, is the label's accessible description (aria-describedby), closes on
 * Escape, on leaving and on a tap elsewhere, and links to the term's entry on the Glossary page. The words come
 * from core/glossary-terms.ts, which the Glossary page prints too.
 */
@Component({
  selector: 'hs-term',
  imports: [NgTemplateOutlet, RouterLink],
  template: `
    <ng-template #label><ng-content /></ng-template>
    @if (entry(); as e) {
      <span
        class="term"
        (mouseenter)="show()"
        (mouseleave)="leave()"
        (focusin)="show()"
        (focusout)="focusOut($event)"
        (keydown.escape)="escape($event)"
      >
        <button
          #trigger
          type="button"
          class="term-trigger"
          [attr.aria-describedby]="meaningId"
          [attr.data-term]="e.id"
          (click)="tap()"
        >
          <ng-container [ngTemplateOutlet]="label" />
        </button>
        <span
          #tip
          class="term-tip"
          role="tooltip"
          [id]="tipId"
          [hidden]="!open()"
          [style.top.px]="top()"
          [style.left.px]="left()"
          [attr.data-term-tip]="e.id"
        >
          <span [id]="meaningId">{{ e.short }}</span>
          <a class="term-link" routerLink="/glossary" [fragment]="e.id" (click)="close()"
            >{{ e.term }} in the glossary</a
          >
        </span>
      </span>
    } @else {
      <ng-container [ngTemplateOutlet]="label" />
    }
  `,
  styles: `
    :host {
      display: inline;
    }
    .term {
      position: relative;
    }
    .term-trigger {
      font: inherit;
      color: inherit;
      letter-spacing: inherit;
      text-align: inherit;
      background: none;
      border: 0;
      padding: 0;
      margin: 0;
      cursor: help;
      text-decoration: underline dotted;
      text-decoration-thickness: 1px;
      text-underline-offset: 0.2em;
    }
    .term-trigger:focus-visible {
      outline: 2px solid var(--focus, #1a56db);
      outline-offset: 2px;
      border-radius: 2px;
    }
    .term-tip {
      position: fixed;
      z-index: 50;
      display: block;
      width: max-content;
      max-width: min(20rem, calc(100vw - 16px));
      padding: 0.55rem 0.7rem;
      border-radius: 6px;
      background: #1f2937;
      color: #fff;
      font-size: 0.85rem;
      font-weight: 400;
      line-height: 1.4;
      text-align: left;
      white-space: normal;
      text-transform: none;
      letter-spacing: normal;
      box-shadow: 0 4px 14px rgb(0 0 0 / 0.2);
    }
    .term-tip[hidden] {
      display: none;
    }
    .term-link {
      display: inline-block;
      margin-top: 0.3rem;
      color: #bfdbfe;
      text-decoration: underline;
    }
    .term-link:focus-visible {
      outline: 2px solid #fff;
      outline-offset: 2px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TermComponent implements OnDestroy {
  /** The glossary entry's id (core/glossary-terms.ts). */
  readonly key = input.required<string>();

  protected readonly entry = computed(() => glossaryTerm(this.key()));
  protected readonly open = signal(false);
  protected readonly top = signal(0);
  protected readonly left = signal(0);

  private readonly id = nextId++;
  protected readonly tipId = `term-tip-${this.id}`;
  protected readonly meaningId = `term-meaning-${this.id}`;

  private readonly trigger = viewChild<ElementRef<HTMLButtonElement>>('trigger');
  private readonly tip = viewChild<ElementRef<HTMLElement>>('tip');

  private openedAt = 0;
  private leaveTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly place = () => this.position();
  private readonly outside = (event: Event) => {
    const host = this.trigger()?.nativeElement.parentElement;
    if (host && event.target instanceof Node && !host.contains(event.target)) this.close();
  };

  /** Whether the meaning is showing (for tests and the page). */
  isOpen(): boolean {
    return this.open();
  }

  show(): void {
    this.cancelLeave();
    if (this.open()) return;
    this.openedAt = Date.now();
    this.open.set(true);
    this.position();
    // Measured again once the bubble has its size; kept beside its label while anything scrolls.
    requestAnimationFrame(this.place);
    window.addEventListener('scroll', this.place, true);
    window.addEventListener('resize', this.place);
    document.addEventListener('pointerdown', this.outside, true);
  }

  close(): void {
    this.cancelLeave();
    if (!this.open()) return;
    this.open.set(false);
    this.detach();
  }

  /** A click or tap on the label: opens it, or closes it unless the same gesture has just opened it. */
  protected tap(): void {
    if (!this.open()) {
      this.show();
    } else if (Date.now() - this.openedAt > SAME_GESTURE_MS) {
      this.close();
    }
  }

  protected leave(): void {
    this.cancelLeave();
    this.leaveTimer = setTimeout(() => {
      const host = this.trigger()?.nativeElement.parentElement;
      // Keyboard focus inside keeps it open.
      if (!host?.contains(document.activeElement)) this.close();
    }, LEAVE_DELAY_MS);
  }

  protected focusOut(event: FocusEvent): void {
    const host = event.currentTarget as HTMLElement | null;
    const next = event.relatedTarget;
    if (host && next instanceof Node && host.contains(next)) return;
    this.close();
  }

  protected escape(event: Event): void {
    if (!this.open()) return;
    event.stopPropagation();
    // Focus goes back to the label first (its focusin would open the meaning again), then the meaning closes.
    if (this.tip()?.nativeElement.contains(document.activeElement)) this.trigger()?.nativeElement.focus();
    this.close();
  }

  ngOnDestroy(): void {
    this.cancelLeave();
    this.detach();
  }

  private position(): void {
    const trigger = this.trigger()?.nativeElement;
    if (!trigger || !this.open()) return;
    const rect = trigger.getBoundingClientRect();
    const tip = this.tip()?.nativeElement;
    const width = tip?.offsetWidth ?? 0;
    const height = tip?.offsetHeight ?? 0;
    const margin = 8;
    const below = rect.bottom + 6;
    const fitsBelow = below + height + margin <= window.innerHeight || rect.top - height - 6 < margin;
    this.top.set(Math.round(fitsBelow ? below : rect.top - height - 6));
    const maxLeft = Math.max(margin, window.innerWidth - width - margin);
    this.left.set(Math.round(Math.min(Math.max(rect.left, margin), maxLeft)));
  }

  private cancelLeave(): void {
    if (this.leaveTimer !== null) {
      clearTimeout(this.leaveTimer);
      this.leaveTimer = null;
    }
  }

  private detach(): void {
    window.removeEventListener('scroll', this.place, true);
    window.removeEventListener('resize', this.place);
    document.removeEventListener('pointerdown', this.outside, true);
  }
}
