// Addresses and query strings of the workspace's pages.
import { Type } from 'typebox';
import { Lang, PublicId, Slug } from '../../domains/programme/schemas.ts';

export const EventParams = Type.Object({ slug: Slug });
export const ItemParams = Type.Object({ slug: Slug, id: PublicId });
export const AssignmentParams = Type.Object({ slug: Slug, id: PublicId, userId: PublicId });

/** ?lang= and, after a redirect, the confirmation to show (?saved=…). */
export const PageQuery = Type.Object({ lang: Type.Optional(Lang), saved: Type.Optional(Type.String({ maxLength: 30 })) });
export const LangOnly = Type.Object({ lang: Type.Optional(Lang) });
