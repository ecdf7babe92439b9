/** "Chrome on Linux" from a User-Agent header: enough to recognise a device, no more. */
export function describeDevice(userAgent: string | null | undefined): string {
  if (!userAgent) {
    return 'Unknown device';
  }
  const ua = userAgent;
  if (/^(curl|wget|python|node|axios|undici|go-http|java|okhttp|postman)/i.test(ua)) {
    return 'API client';
  }
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /OPR\//.test(ua)
      ? 'Opera'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /(Headless)?Chrom(e|ium)\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : null;
  const os = /iPhone|iPad|iPod/.test(ua)
    ? 'iOS'
    : /Android/.test(ua)
      ? 'Android'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /CrOS/.test(ua)
            ? 'ChromeOS'
            : /Linux/.test(ua)
              ? 'Linux'
              : null;
  if (browser && os) {
    return `${browser} on ${os}`;
  }
  return browser ?? os ?? 'Unknown device';
}

/** "203.0.113.9 · Firefox on Windows". */
export function describeOrigin(ip: string | null | undefined, userAgent: string | null | undefined): string {
  return `${ip || 'Unknown address'} · ${describeDevice(userAgent)}`;
}
