import {
  ChangeDetectionStrategy,
  Component,
  afterRenderEffect,
  computed,
  inject,
  signal,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { GLOSSARY, GLOSSARY_SECTIONS, type GlossaryTerm } from '../../core/glossary-terms';

/** Case- and accent-insensitive words for the find box. */
function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/**
 * Every statistic on the dashboard in plain words, with its formula and source; each entry has an anchor
 * (/glossary#validity-r) that the term tooltips link to.
 */
@Component({
  selector: 'hs-glossary',
  imports: [RouterLink],
  template: `
    <section class="page glossary" aria-labelledby="page-title">
      <header class="page-header">
        <h1 id="page-title">Glossary</h1>
        <p class="lede">
          What every number on the dashboard means, in plain words first, then how it is computed and where
          the method comes from. Hover over or focus a dotted label on any screen to see its one-line meaning.
        </p>
      </header>

      <form class="filters glossary-find" role="search" (submit)="$event.preventDefault()">
        <div class="field field-inline">
          <label for="glossary-find">Find a term</label>
          <input
            id="glossary-find"
            type="search"
            data-testid="glossary-find"
            autocomplete="off"
            placeholder="e.g. impact ratio"
            [value]="query()"
            (input)="query.set($any($event.target).value)"
          />
        </div>
        <p class="muted small" role="status" data-testid="glossary-count">
          {{ shownCount() }} of {{ total }} terms
        </p>
      </form>

      <nav class="glossary-sections" aria-label="Glossary sections">
        <ul>
          @for (section of sections(); track section.id) {
            <li>
              <a routerLink="." [fragment]="'section-' + section.id">{{ section.title }}</a>
            </li>
          }
        </ul>
      </nav>

      @for (section of sections(); track section.id) {
        <section class="glossary-section" [attr.aria-labelledby]="'section-' + section.id">
          <h2 [id]="'section-' + section.id" tabindex="-1">{{ section.title }}</h2>
          <p class="muted">{{ section.intro }}</p>
          <div class="glossary-list">
            @for (term of section.terms; track term.id) {
              <article
                class="card glossary-entry"
                [id]="term.id"
                tabindex="-1"
                [class.targeted]="term.id === fragment()"
                [attr.aria-labelledby]="term.id + '-title'"
                data-testid="glossary-entry"
              >
                <h3 [id]="term.id + '-title'">{{ term.term }}</h3>
                @if (term.aka) {
                  <p class="muted small">Also: {{ term.aka }}</p>
                }
                <p class="glossary-short">{{ term.short }}</p>
                <p>{{ term.meaning }}</p>
                <dl class="glossary-facts">
                  @if (term.formula) {
                    <div>
                      <dt>Formula</dt>
                      <dd>
                        <code>{{ term.formula }}</code>
                      </dd>
                    </div>
                  }
                  <div>
                    <dt>Source</dt>
                    <dd>{{ term.source }}</dd>
                  </div>
                </dl>
              </article>
            }
          </div>
        </section>
      } @empty {
        <p class="card state" data-testid="glossary-empty">No term matches “{{ query() }}”.</p>
      }

      <p class="muted small">
        Full definitions and references: docs/statistics.md in the product's repository.
      </p>
    </section>
  `,
  styles: `
    .glossary-find {
      align-items: center;
    }
    .glossary-find input {
      min-width: 0;
      width: 16rem;
      max-width: 100%;
    }
    .glossary-sections ul {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 1rem;
      list-style: none;
      margin: 0 0 1rem;
      padding: 0;
    }
    .glossary-list {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(min(100%, 24rem), 1fr));
      gap: 0.75rem;
    }
    .glossary-entry {
      scroll-margin-top: 1rem;
      margin: 0;
    }
    .glossary-entry h3 {
      margin: 0 0 0.25rem;
      font-size: 1.05rem;
    }
    .glossary-entry p {
      margin: 0.35rem 0;
    }
    .glossary-entry.targeted {
      outline: 3px solid var(--accent, #1a56db);
      outline-offset: 2px;
    }
    .glossary-short {
      font-weight: 600;
    }
    .glossary-facts {
      margin: 0.5rem 0 0;
    }
    .glossary-facts div {
      margin-top: 0.3rem;
    }
    .glossary-facts dt {
      font-weight: 600;
      font-size: 0.85rem;
    }
    .glossary-facts dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .glossary-facts code {
      white-space: normal;
    }
    .glossary-section h2 {
      scroll-margin-top: 1rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class GlossaryComponent {
  private readonly route = inject(ActivatedRoute);

  protected readonly query = signal('');
  protected readonly fragment = toSignal(this.route.fragment, { initialValue: null });
  protected readonly total = GLOSSARY.length;

  protected readonly sections = computed(() => {
    const words = fold(this.query())
      .split(/\s+/)
      .filter((w) => w.length > 0);
    const matches = (term: GlossaryTerm) => {
      const text = fold(`${term.term} ${term.aka ?? ''} ${term.short} ${term.meaning}`);
      return words.every((word) => text.includes(word));
    };
    return GLOSSARY_SECTIONS.map((section) => ({
      ...section,
      terms: GLOSSARY.filter((term) => term.section === section.id && matches(term)),
    })).filter((section) => section.terms.length > 0);
  });

  protected readonly shownCount = computed(() =>
    this.sections().reduce((sum, section) => sum + section.terms.length, 0),
  );

  constructor() {
    // The router does not scroll to a fragment on its own here: bring the named entry into view and give it focus.
    afterRenderEffect(() => {
      const id = this.fragment();
      if (!id) return;
      const target = document.getElementById(id);
      if (target) {
        target.scrollIntoView({ block: 'start' });
        target.focus({ preventScroll: true });
      }
    });
  }
}
