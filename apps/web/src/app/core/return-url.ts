/** Only same-app paths are followed after login, so a crafted link cannot send a user elsewhere. */
export function safeReturnUrl(value: string | null | undefined, fallback = '/validity'): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
    return fallback;
  }
  if (value === '/' || value.startsWith('/login')) {
    return fallback;
  }
  return value;
}
