import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './access';

/** The rules as a person reads them; the server also refuses passwords from a list of common ones. */
export const PASSWORD_POLICY = `At least ${PASSWORD_MIN_LENGTH} characters, without your email address or its name part, and not a common password. A few unrelated words make a good one.`;

/** The server's rule: not the address, and not its name part when that has 4 or more characters. */
function containsEmail(password: string, email: string): boolean {
  const lower = password.normalize('NFKC').toLowerCase();
  const address = email.trim().toLowerCase();
  const name = address.split('@')[0] ?? '';
  return lower.includes(address) || (name.length >= 4 && lower.includes(name));
}

export interface PasswordErrors {
  password?: string;
  confirm?: string;
}

/** The checks the browser can make before asking the server (which also checks the common-password list). */
export function checkNewPassword(password: string, confirm: string, email: string | null): PasswordErrors {
  const errors: PasswordErrors = {};
  const length = [...password].length;
  if (length === 0) {
    errors.password = 'Choose a password.';
  } else if (length < PASSWORD_MIN_LENGTH) {
    errors.password = `Use at least ${PASSWORD_MIN_LENGTH} characters (this one has ${length}).`;
  } else if (length > PASSWORD_MAX_LENGTH) {
    errors.password = `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  } else if (email && containsEmail(password, email)) {
    errors.password = 'Leave out your email address and the part before the @.';
  }
  if (!errors.password && confirm !== password) {
    errors.confirm = 'The two passwords are not the same. Type the new password again.';
  }
  return errors;
}

/** "must be at least 12 characters" from the server becomes "The password must be at least 12 characters." */
export function problemSentence(subject: string, message: string): string {
  const text = `${subject} ${message.trim()}`;
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
