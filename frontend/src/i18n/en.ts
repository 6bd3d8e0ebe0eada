// Every English string of the SPA, the same keys as `ja.ts`.
import type { Messages } from './ja';

export const en: Messages = {
  lang: 'en',
  appName: 'Madoguchi',
  appTagline: 'Health insurance society member portal',
  switchLanguage: '日本語',
  switchLanguageLabel: '日本語に切り替える',
  footerTerms: 'Notes, disclaimer and security policy',
  skipToMain: 'Skip to main content',
  loading: 'Loading…',
  required: 'Required',
  showPassword: 'Show password',
  errorSummaryTitle: 'Please check what you entered',
  networkError: 'Could not connect. Please try again where the signal is better.',
  unexpectedError: 'Something went wrong. Please try again later.',
  sessionExpired: 'Your sign-in has expired. Please sign in again.',
  loggedOut: 'You have signed out.',
  ruleMet: 'met',
  ruleNotMet: 'not met yet',

  steps: ['Identity check', 'Your details', 'Confirm', 'Done'],
  stepLabel: 'Progress',
  stepCurrent: ' (current step)',
  stepDone: ' (done)',

  login: {
    title: 'Sign in',
    intro: 'Enter your user ID and password, then press Sign in.',
    firstTime:
      'First time here? Enter the temporary user ID and temporary password printed on the postcard your health insurance society sent you.',
    loginId: 'User ID',
    loginIdHint: 'First time: the temporary user ID on the postcard (13 digits)',
    password: 'Password',
    passwordHint: 'First time: the temporary password on the postcard (10 characters)',
    submit: 'Sign in',
    forgotId: 'Forgot your user ID?',
    forgotPassword: 'Forgot your password?',
    maintenanceHeading: 'Maintenance',
    maintenanceRule:
      'The service is closed for maintenance on the 25th of every month, 21:00–24:00 (moved earlier when the 25th is a Saturday, Sunday or public holiday).',
    nextMaintenance: (when: string) => `Next maintenance: ${when}`,
    retryAfter: (minutes: number) => `Please try again in about ${minutes} minute${minutes === 1 ? '' : 's'}.`,
  },

  forgotId: {
    title: 'Forgot your user ID',
    intro:
      'Enter your registered e-mail address and your date of birth, then press Send. If they match an account, we e-mail you its user ID.',
    email: 'E-mail address',
    emailHint: 'The confirmed address you registered with your user ID',
    birthDate: 'Date of birth',
    birthDateHint: 'Year, month and day as 8 digits (example: 19790822).',
    submit: 'Send',
    sentTitle: 'E-mail sent',
    sent: [
      'If an account matches the e-mail address and date of birth you entered, we have e-mailed you its user ID.',
      'If no e-mail arrives, or you have not registered and confirmed an address, please contact your health insurance society. They will send you a new postcard.',
    ],
    back: 'Back to sign in',
  },
  forgotPassword: {
    title: 'Forgot your password',
    intro: 'Enter your user ID and registered e-mail address, then press Send. If they match, we e-mail you a temporary password.',
    userId: 'User ID',
    userIdHint: 'The user ID you registered',
    email: 'E-mail address',
    emailHint: 'The confirmed address you registered',
    submit: 'Send',
    sentTitle: 'E-mail sent',
    sent: [
      'If the user ID and e-mail address match our records, we have e-mailed you a temporary password. It is valid for 24 hours.',
      'Sign in with it and you will be asked to set a new password. Until then your current password keeps working.',
      'If no e-mail arrives, or you have not registered and confirmed an address, please contact your health insurance society.',
    ],
    back: 'Back to sign in',
  },

  identity: {
    title: 'Identity check',
    intro:
      'Enter the 8-digit insurer number printed on the lower part of your health insurance card, and your date of birth. (The insurer number is not the card’s symbol and number.)',
    termsIntro:
      'To use this service you must agree to the notes, disclaimer and security policy below. Please read them; if you agree, choose “I agree” and press Confirm.',
    insurerNumber: 'Insurer number',
    insurerNumberHint:
      'The 8 digits on the lower part of your insurance card, not the symbol and number. Full-width digits are fine.',
    birthDate: 'Date of birth',
    birthDateHint: 'Year, month and day as 8 digits (example: 19790822).',
    termsHeading: 'Notes, disclaimer and security policy',
    agreeLegend: 'Do you agree to the above?',
    agree: 'I agree',
    disagree: 'I do not agree',
    submit: 'Confirm',
    termsUpdated: 'The terms have been updated. Please read them and choose “I agree” again.',
  },

  register: {
    title: 'Your details',
    intro: 'Choose your user ID and password, enter your settings, then press Check entries.',
    userId: 'User ID',
    userIdRules: {
      characters: 'Letters and digits (full-width input becomes half-width)',
      length: '8–13 characters (8–12 if digits only)',
      notTemporary: 'Must not be the temporary user ID',
    },
    password: 'Password',
    passwordRules: {
      length: '8–20 characters',
      characters: 'Half-width letters, digits and symbols (no spaces)',
      letterAndDigit: 'Both letters and digits',
      notSame: 'Must not be the temporary password, the user ID or a commonly used password',
    },
    passwordConfirmation: 'Confirm password',
    passwordConfirmationHint: 'Enter the same password again.',
    email: 'E-mail address',
    emailHint: 'We will send a confirmation e-mail. It is also used to reissue a forgotten password.',
    notifyLegend: 'Notifications',
    notify: 'E-mail me when my notices are updated',
    submit: 'Check entries',
  },

  confirm: {
    title: 'Confirm',
    intro: 'Check your entries and press Register if they are right. Press Back to correct them.',
    passwordMasked: '(not shown)',
    notifyOn: 'Yes',
    notifyOff: 'No',
    submit: 'Register',
    back: 'Back',
  },

  done: {
    title: 'Registration complete',
    intro: 'Your user ID and password are registered. Please read the following before you continue.',
    notes: [
      'Keep your password safe. If you forget it, see “Forgot your password?” on the sign-in screen. A registered e-mail address is needed to reissue a temporary password.',
      'We have sent a confirmation e-mail to your address. If it does not arrive, the address may be wrong: please check it again.',
    ],
    toMenu: 'Go to menu',
  },

  menu: {
    title: 'Menu',
    welcome: (userId: string) => `Welcome, ${userId}.`,
    profile: 'Your registration',
    userId: 'User ID',
    email: 'E-mail address',
    emailVerified: 'confirmed',
    emailUnverified: 'not confirmed yet (open the link in the confirmation e-mail)',
    notify: 'E-mail when notices are updated',
    notifyOn: 'Yes',
    notifyOff: 'No',
    insurer: 'Health insurance society',
    lastLogin: 'Previous sign-in',
    firstLogin: 'This is your first sign-in',
    changePassword: 'Change password',
    logout: 'Sign out',
    logoutNote: 'Signing out ends this household account’s sessions on every device.',
  },

  passwordChange: {
    title: 'Change your password',
    introTemporary: 'You signed in with a temporary password. Please set a new password.',
    introMember: 'Enter your current password and a new password.',
    current: 'Current password',
    newPassword: 'New password',
    confirmation: 'Confirm new password',
    confirmationHint: 'Enter the same password again.',
    notSame: 'Must not be the temporary or current password, the user ID or a commonly used password',
    submit: 'Change password',
    done: 'Your password has been changed. Every other device has been signed out.',
    back: 'Back to menu',
  },

  verifyEmail: {
    title: 'Confirm your e-mail address',
    intro: 'Press the button below to confirm your e-mail address.',
    submit: 'Confirm my e-mail address',
    done: 'Your e-mail address is confirmed. If you forget your password, we will send a temporary one to it.',
    invalid:
      'This link cannot be used (already used, expired, or a newer link was sent). You can send a new one from the menu.',
    missing: 'This link is not complete. Please open the link in the e-mail again.',
    toLogin: 'Go to sign in',
  },

  terms: {
    title: 'Notes, disclaimer and security policy',
    back: 'Back',
  },

  maintenance: {
    title: 'Closed for maintenance',
    body: 'The service is closed for maintenance. We are sorry for the inconvenience; please wait until it ends.',
    until: (when: string) => `Expected to end: ${when}`,
    retry: 'Try again',
  },

  notFound: {
    title: 'Page not found',
    body: 'The page you are looking for was not found.',
    home: 'Go to sign in',
  },

  dateTime: {
    locale: 'en-GB',
    range: (start: string, end: string) => `${start} – ${end}`,
  },

  field: {
    required: 'Please fill this in.',
    unknown_field: 'Unknown field.',
    invalid_type: 'Wrong format.',
    too_long: 'Too long.',
    invalid: 'Not valid.',
    user_id_taken: 'This user ID is already taken. Please choose another.',
    temporary_login_id_format: 'The temporary user ID is 13 digits.',
    temporary_password_format: 'The temporary password is 10 letters and digits.',
    user_id_characters: 'Use half-width letters and digits only.',
    user_id_length: 'Use 8–13 characters (8–12 if digits only).',
    user_id_equals_temporary: 'The user ID must not be the temporary user ID.',
    password_length: 'Use 8–20 characters.',
    password_characters: 'No spaces or full-width characters: use half-width letters, digits and symbols.',
    password_needs_letter_and_digit: 'Include both letters and digits.',
    password_common: 'This password is too common. Please choose another.',
    password_equals_user_id: 'The password must not be the user ID.',
    password_equals_temporary: 'The password must not be the temporary password.',
    password_equals_current: 'The password must not be your current password.',
    password_confirmation_mismatch: 'Does not match the password. Enter the same password.',
    email_invalid: 'Enter an e-mail address like taro@example.jp.',
    email_too_long: 'Use at most 254 characters.',
    insurer_number_format: 'The insurer number is 8 digits.',
    insurer_number_is_card_symbol:
      'The insurer number is not the card’s symbol and number: enter the 8 digits on the lower part of the card.',
    insurer_number_check_digit: 'This insurer number is not valid. Please check the 8 digits on your card.',
    birth_date_format: 'Enter your date of birth as 8 digits (example: 19790822).',
    birth_date_invalid: 'This date does not exist. Please check your date of birth.',
    birth_date_future: 'The date of birth cannot be in the future.',
    birth_date_too_early: 'Enter a date in or after 1900.',
    terms_not_agreed: 'Choose “I agree” to use the service.',
  },
};
