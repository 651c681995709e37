// The workspace's navigation: its own pages (the events one organises; accounts for organisers
// of every event), and between the pages of one event.
import { isOrganiserOfAll } from '../../domains/accounts/permissions.ts';
import type { AuthUser } from '../../domains/accounts/service.ts';
import { translate } from '../../i18n/index.ts';
import type { Scope } from './kit.ts';

export function homeOf(user: AuthUser, template: string) {
  return { href: '/admin', current: template === 'workspace/home', usersHref: isOrganiserOfAll(user) ? '/admin/users' : null, usersCurrent: template === 'workspace/users' };
}

/** The pages of an event, in the navigation's order, by section and address under /admin/events/:slug. */
const SECTIONS = [
  ['programme', ''], ['sessions', '/sessions'], ['parts', '/parts'], ['slots', '/slots'], ['rooms', '/rooms'], ['people', '/people'],
  ['organisations', '/organisations'], ['outputs', '/outputs'], ['settings', '/settings'], ['conclusions', '/conclusions'], ['audit', '/audit'], ['releases', '/releases'],
] as const;

/** The navigation between an event's pages of the workspace; `section` is the current one. */
export function navOf(scope: Pick<Scope, 'event' | 'locale' | 'presenter' | 'base'>, section: string) {
  const { base, locale } = scope;
  return {
    event: scope.presenter.text(scope.event.title),
    publicUrl: `/events/${scope.event.slug}`,
    items: SECTIONS.map(([key, path]) => ({ label: translate(locale, `admin.nav.${key}`), href: `${base}${path}`, current: key === section })),
    previewAction: `${base}/preview`,
  };
}
