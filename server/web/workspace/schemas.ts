// Query strings of the workspace's pages.
import { Type } from 'typebox';
import { Lang } from '../../domains/programme/schemas.ts';

/** ?lang= and, after a redirect, the confirmation to show (?saved=…). */
export const PageQuery = Type.Object({ lang: Type.Optional(Lang), saved: Type.Optional(Type.String({ maxLength: 30 })) });
export const LangOnly = Type.Object({ lang: Type.Optional(Lang) });
