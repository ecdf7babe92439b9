const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/**
 * Formats UTC instants as `YYYY-MM-DDTHH:MM:00Z` and dates as `YYYY-MM-DD`. Millions of timestamps fall on a few
 * thousand days and 1440 minutes, so caching both parts is several times faster than `Date#toISOString`.
 */
export class IsoFormatter {
  private readonly days = new Map<number, string>();
  private readonly minutes: string[] = [];

  constructor() {
    for (let m = 0; m < 1440; m++) {
      const hh = String(Math.floor(m / 60)).padStart(2, '0');
      const mm = String(m % 60).padStart(2, '0');
      this.minutes.push(`T${hh}:${mm}:00Z`);
    }
  }

  date(ms: number): string {
    const day = Math.floor(ms / DAY_MS);
    let text = this.days.get(day);
    if (text === undefined) {
      text = new Date(day * DAY_MS).toISOString().slice(0, 10);
      this.days.set(day, text);
    }
    return text;
  }

  /** Truncates to the minute. */
  minute(ms: number): string {
    const day = Math.floor(ms / DAY_MS);
    return this.date(ms) + this.minutes[Math.floor((ms - day * DAY_MS) / MINUTE_MS)];
  }
}
