import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@hiresignal/shared';
import { dictionary } from '@zxcvbn-ts/language-common';

/*
 * The password policy (NIST SP 800-63B 5.1.1.2: length, and a check against values known to be commonly used, with
 * no composition rules): at least PASSWORD_MIN_LENGTH characters, not the email or its name part, and not one of
 * the ~49,000 most common passwords bundled with zxcvbn-ts (@zxcvbn-ts/language-common), also when it only adds
 * digits or symbols at either end ("Password2024!") or repeats itself ("qwertyqwerty").
 */
let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common;
}

export interface PasswordProblem {
  field: string;
  message: string;
}

export function checkPassword(password: string, email: string, field = 'password'): PasswordProblem[] {
  const problems: string[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters`);
  if (length > PASSWORD_MAX_LENGTH) problems.push(`must be at most ${PASSWORD_MAX_LENGTH} characters`);
  const lower = password.normalize('NFKC').toLowerCase();
  const address = email.trim().toLowerCase();
  const name = address.split('@')[0] ?? '';
  if (lower === address || lower.includes(address) || (name.length >= 4 && lower.includes(name))) {
    problems.push('must not contain your email address or its name part');
  }
  if (isCommon(lower)) problems.push('is one of the most commonly used passwords: choose another');
  return problems.map((message) => ({ field, message }));
}

function isCommon(lower: string): boolean {
  const list = commonPasswords();
  if (list.has(lower)) return true;
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  if (core.length >= 4 && list.has(core)) return true;
  // "qwertyqwerty", "abcabcabcabc": a short unit repeated.
  const repeated = /^(.{1,6}?)\1+$/u.exec(lower);
  return repeated !== null;
}
