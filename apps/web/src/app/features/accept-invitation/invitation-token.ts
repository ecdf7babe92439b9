/** The token of `/accept-invitation#token=…`: kept in the fragment, so it never reaches a server's logs. */
export function tokenFromFragment(fragment: string | null | undefined): string | null {
  if (!fragment) {
    return null;
  }
  const token = new URLSearchParams(fragment.replace(/^#/, '')).get('token')?.trim() ?? '';
  return /^[A-Za-z0-9_~.-]{8,512}$/.test(token) ? token : null;
}
