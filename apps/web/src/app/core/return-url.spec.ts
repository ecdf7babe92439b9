import { safeReturnUrl } from './return-url';

describe('safeReturnUrl', () => {
  it('follows paths inside the app', () => {
    expect(safeReturnUrl('/validity?jobId=job-1')).toBe('/validity?jobId=job-1');
    expect(safeReturnUrl('/fairness')).toBe('/fairness');
  });

  it('refuses other origins, the login page itself and nothing at all', () => {
    expect(safeReturnUrl('https://evil.example')).toBe('/validity');
    expect(safeReturnUrl('//evil.example')).toBe('/validity');
    expect(safeReturnUrl('/\\evil.example')).toBe('/validity');
    expect(safeReturnUrl('/login?returnUrl=/x')).toBe('/validity');
    expect(safeReturnUrl(undefined)).toBe('/validity');
  });
});
