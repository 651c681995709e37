// Turns a release history into what the changelog pages show, in one reader's language.
import type { Language } from '../../db/schema.ts';
import { translate } from '../../i18n/index.ts';
import { Presenter } from './presenter.ts';
import type { EventRow } from '../../domains/programme/repository.ts';
import { localClock, localDate, longDate, toZonedIso } from '../../time.ts';
import { CHANGE_TYPES, countChanges, type Placement, type ReleaseChange } from '../../domains/releases/changelog.ts';
import type { listReleases } from '../../domains/releases/repository.ts';

type ReleaseListRow = ReturnType<typeof listReleases>[number];

export class ReleasePresenter {
  readonly presenter: Presenter;
  constructor(readonly event: EventRow, readonly locale: Language) {
    this.presenter = new Presenter(event, locale);
  }

  /** "mardi 12 novembre 2019, 10:00–10:30 · Salle plénière", in the event's local time. */
  placement(p: Placement) {
    const zone = this.event.timezone;
    const start = p.start ? new Date(p.start) : null;
    const end = p.end ? new Date(p.end) : null;
    const parts: string[] = [];
    if (start && end) parts.push(`${longDate(localDate(start, zone), this.locale)}, ${localClock(start, zone)}–${localClock(end, zone)}`);
    else parts.push(translate(this.locale, 'changes.unscheduled'));
    const room = p.room ? this.presenter.text(p.room.name) : null;
    return { label: parts.join(''), room, startIso: start ? toZonedIso(start, zone) : null };
  }

  change(change: ReleaseChange) {
    return {
      type: change.type,
      title: this.presenter.text(change.session.title),
      url: this.presenter.url(`/sessions/${change.session.id}`),
      now: this.placement(change.session),
      before: change.type === 'moved' ? this.placement(change.before) : null,
      fields: 'fields' in change && change.fields.length > 0
        ? change.fields.map((f) => translate(this.locale, `changes.field.${f}`)).join(', ')
        : null,
    };
  }

  /** The changes of a release, grouped by type in a fixed order: new, moved, changed, cancelled. */
  groups(changes: ReleaseChange[]) {
    return CHANGE_TYPES.map((type) => ({
      type,
      heading: translate(this.locale, `changes.type.${type}`),
      items: changes.filter((c) => c.type === type).map((c) => this.change(c)),
    })).filter((g) => g.items.length > 0);
  }

  release(release: Pick<ReleaseListRow, 'publicId' | 'sequence' | 'name' | 'note' | 'releasedAt' | 'changes'> & { actor?: string }) {
    const changes = release.changes as ReleaseChange[];
    const zone = this.event.timezone;
    const counts = countChanges(changes);
    return {
      id: release.publicId,
      name: release.name,
      heading: translate(this.locale, 'changes.release', { name: release.name }),
      first: release.sequence === 1,
      firstSummary: translate(this.locale, 'changes.first', { count: counts.new }),
      releasedAt: {
        iso: toZonedIso(release.releasedAt, zone),
        label: `${longDate(localDate(release.releasedAt, zone), this.locale)}, ${localClock(release.releasedAt, zone)}`,
      },
      note: this.presenter.paragraphs(release.note),
      actor: release.actor ?? null,
      summary: CHANGE_TYPES.filter((t) => counts[t] > 0).map((t) => translate(this.locale, `changes.count.${t}`, { count: counts[t] })).join(' · '),
      groups: this.groups(changes),
    };
  }
}
