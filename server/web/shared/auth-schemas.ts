// Request and response schemas of the sign-in pages and the auth API.
import { Type } from 'typebox';
import { LANGUAGES, USER_ROLES } from '../../db/schema.ts';
import { PUBLIC_ID_PATTERN } from '../../domains/programme/schemas.ts';
import { PASSWORD_MAX_LENGTH } from '../../domains/accounts/passwords.ts';

const Lang = Type.Enum(LANGUAGES);
const Email = Type.String({ maxLength: 254, description: 'Compared without case' });
const Password = Type.String({ maxLength: PASSWORD_MAX_LENGTH });
/** The CSRF token of a form; optional here so that a form without one gets 403, not 400. */
const CsrfField = Type.Optional(Type.String({ maxLength: 200 }));
/** Where to go after signing in; anything but a local path is replaced by "/". */
const Next = Type.String({ maxLength: 2048 });

// Pages (forms: every value arrives as a string).

export const LangQuery = Type.Object({ lang: Type.Optional(Lang) });
export const LoginQuery = Type.Object({ lang: Type.Optional(Lang), next: Type.Optional(Next) });
/** ?saved=1 after a password change; ?saved=tokens when the API tokens were revoked with it. */
export const SavedQuery = Type.Object({ lang: Type.Optional(Lang), saved: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('tokens')])) });

export const LoginForm = Type.Object({
  _csrf: CsrfField,
  email: Email,
  password: Password,
  next: Type.Optional(Next),
});

export const CsrfForm = Type.Object({ _csrf: CsrfField });

export const PasswordForm = Type.Object({
  _csrf: CsrfField,
  currentPassword: Password,
  newPassword: Password,
  confirmation: Password,
  /** The checkbox, checked when the page is shown: a browser sends it only when it stays checked. */
  revokeTokens: Type.Optional(Type.Literal('yes')),
});

export const SetupParams = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', maxLength: 43 }) });

export const SetupForm = Type.Object({
  _csrf: CsrfField,
  name: Type.String({ maxLength: 200 }),
  email: Email,
  password: Password,
  confirmation: Password,
});

// API.

const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const LoginBody = Type.Object({ email: Email, password: Password }, { additionalProperties: false });

export const ApiAccount = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  name: Type.String(),
  role: Type.Enum(USER_ROLES),
  event: Nullable(Type.String({ description: 'The slug of the one event an organiser organises; null for every event (and for rapporteurs)' })),
});

export const AccountAnswer = Type.Object({ user: ApiAccount });

export const PasswordBody = Type.Object({
  currentPassword: Password,
  newPassword: Password,
  revokeTokens: Type.Optional(Type.Boolean({
    default: true,
    description: 'Whether every API token of the account is revoked too, the one making this request included (the default, as on the password page): false keeps them working',
  })),
}, { additionalProperties: false });

export const NewTokenBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100, description: 'What the token is for, to recognise it in the list' }),
}, { additionalProperties: false });

export const CreatedToken = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  token: Type.String({ description: 'The secret: shown this once, never again' }),
});

export const TokenItem = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  user: Type.String({ description: 'The e-mail address of the account the token acts for' }),
  createdAt: Instant,
  lastUsedAt: Nullable(Instant),
  revokedAt: Nullable(Instant),
});

export const TokenList = Type.Array(TokenItem);

export const TokenParams = Type.Object({ id: Type.String({ pattern: PUBLIC_ID_PATTERN, maxLength: 36 }) }, { additionalProperties: false });

export const NoContent = Type.Null({ description: 'No content' });
