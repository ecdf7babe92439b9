import { tokenFromFragment } from './invitation-token';

describe('tokenFromFragment', () => {
  it('reads the token from the fragment', () => {
    expect(tokenFromFragment('token=abcDEF123_-xyz')).toBe('abcDEF123_-xyz');
    expect(tokenFromFragment('#token=abcDEF123_-xyz&x=1')).toBe('abcDEF123_-xyz');
  });

  it('refuses missing or malformed tokens', () => {
    expect(tokenFromFragment(null)).toBeNull();
    expect(tokenFromFragment('')).toBeNull();
    expect(tokenFromFragment('token=')).toBeNull();
    expect(tokenFromFragment('token=<script>')).toBeNull();
    expect(tokenFromFragment('other=abcdefghij')).toBeNull();
  });
});
