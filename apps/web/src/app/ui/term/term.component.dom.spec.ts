import { Component } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { glossaryTerm } from '../../core/glossary-terms';
import { TermComponent } from './term.component';

@Component({
  imports: [TermComponent],
  template: `<p>
    <hs-term key="validity-r">Validity r</hs-term> <button type="button" id="other">Other</button>
  </p>`,
})
class HostComponent {}

describe('hs-term (a statistic label with its meaning)', () => {
  let fixture: ComponentFixture<HostComponent>;
  let root: HTMLElement;
  const entry = glossaryTerm('validity-r');

  const trigger = () => root.querySelector('.term-trigger') as HTMLButtonElement;
  const tip = () => root.querySelector('[role=tooltip]') as HTMLElement;
  const wrapper = () => root.querySelector('.term') as HTMLElement;
  const render = async () => {
    fixture.detectChanges();
    await fixture.whenStable();
  };

  beforeEach(async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick', 'setImmediate'] });
    await TestBed.configureTestingModule({
      imports: [HostComponent],
      providers: [provideRouter([])],
    }).compileComponents();
    fixture = TestBed.createComponent(HostComponent);
    root = fixture.nativeElement as HTMLElement;
    document.body.appendChild(root);
    await render();
  });

  afterEach(() => {
    root.remove();
    jest.useRealTimers();
  });

  it('labels the statistic with a button described by the one-line meaning, hidden at first', () => {
    expect(entry).toBeDefined();
    expect(trigger().textContent?.trim()).toBe('Validity r');
    const describedBy = trigger().getAttribute('aria-describedby') ?? '';
    expect(document.getElementById(describedBy)?.textContent).toBe(entry?.short);
    expect(tip().hidden).toBe(true);
  });

  it('opens on hover and closes a moment after the pointer leaves', async () => {
    wrapper().dispatchEvent(new MouseEvent('mouseenter'));
    await render();
    expect(tip().hidden).toBe(false);
    wrapper().dispatchEvent(new MouseEvent('mouseleave'));
    await render();
    expect(tip().hidden).toBe(false);
    jest.advanceTimersByTime(250);
    await render();
    expect(tip().hidden).toBe(true);
  });

  it('opens on keyboard focus, stays open while focus moves to its glossary link, and links to the entry', async () => {
    trigger().focus();
    await render();
    expect(tip().hidden).toBe(false);
    const link = tip().querySelector('a') as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe('/glossary#validity-r');
    link.focus();
    await render();
    expect(tip().hidden).toBe(false);
    (root.querySelector('#other') as HTMLButtonElement).focus();
    await render();
    expect(tip().hidden).toBe(true);
  });

  it('closes on Escape and gives focus back to the label', async () => {
    trigger().focus();
    await render();
    (tip().querySelector('a') as HTMLAnchorElement).focus();
    await render();
    document.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await render();
    expect(tip().hidden).toBe(true);
    expect(document.activeElement).toBe(trigger());
  });

  it('opens on a tap (focus then click) and closes on a tap elsewhere', async () => {
    trigger().focus();
    trigger().click();
    await render();
    expect(tip().hidden).toBe(false);
    (root.querySelector('#other') as HTMLElement).dispatchEvent(
      new MouseEvent('pointerdown', { bubbles: true }),
    );
    await render();
    expect(tip().hidden).toBe(true);
  });

  it('toggles closed on a later click of the label', async () => {
    trigger().click();
    await render();
    expect(tip().hidden).toBe(false);
    jest.advanceTimersByTime(1000);
    trigger().click();
    await render();
    expect(tip().hidden).toBe(true);
  });
});
