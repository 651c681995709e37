// The workspace's navigation: its own pages (the events one organises; accounts for organisers
// of every event), and between the pages of one event.
import { isOrganiserOfAll } from '../../domains/accounts/permissions.ts';
import type { AuthUser } from '../../domains/accounts/service.ts';
import { translate, type MessageKey } from '../../i18n/index.ts';
import type { Scope } from './kit.ts';

export function homeOf(user: AuthUser, template: string) {
  return {
    href: '/admin', current: template === 'workspace/home', usersHref: isOrganiserOfAll(user) ? '/admin/users' : null, usersCurrent: template === 'workspace/users',
    // A new event from a file (/admin/import), for those who may create events.
    importHref: isOrganiserOfAll(user) ? '/admin/import' : null,
  };
}

/**
 * The pages of an event, in the navigation's order, by section: their address under
 * /admin/events/:slug and their name, which the pages themselves also go by.
 */
export const SECTIONS = {
  programme: { path: '', label: 'programme.title' }, sessions: { path: '/sessions', label: 'sessions.title' },
  parts: { path: '/parts', label: 'admin.nav.parts' }, slots: { path: '/slots', label: 'admin.nav.slots' }, rooms: { path: '/rooms', label: 'admin.nav.rooms' },
  people: { path: '/people', label: 'people.title' }, contacts: { path: '/contacts', label: 'contacts.title' }, organisations: { path: '/organisations', label: 'organisations.title' },
  outputs: { path: '/outputs', label: 'outputs.title' }, import: { path: '/import', label: 'imports.nav' }, settings: { path: '/settings', label: 'admin.nav.settings' },
  conclusions: { path: '/conclusions', label: 'conclusions.title' }, followUp: { path: '/follow-up', label: 'followup.admin.nav' },
  feedback: { path: '/feedback', label: 'feedback.admin.nav' }, audit: { path: '/audit', label: 'admin.nav.audit' },
  releases: { path: '/releases', label: 'admin.nav.releases' },
  outbox: { path: '/outbox', label: 'outbox.title' }, webhooks: { path: '/webhooks', label: 'webhooks.title' },
} as const satisfies Record<string, { path: string; label: MessageKey }>;

/**
 * The navigation between an event's pages of the workspace; `section` is the current one. The
 * public page is linked once the event has been released: before, it is said not to be, beside
 * the preview, instead of a link to a 404.
 */
export function navOf(scope: Pick<Scope, 'event' | 'locale' | 'presenter' | 'base'>, section: string, released: boolean) {
  const { base, locale } = scope;
  return {
    event: scope.presenter.text(scope.event.title),
    publicUrl: released ? `/events/${scope.event.slug}` : null,
    items: Object.entries(SECTIONS).map(([key, { path, label }]) => ({ label: translate(locale, label), href: `${base}${path}`, current: key === section })),
    previewAction: `${base}/preview`,
  };
}
