// Turns a release history into what the changelog pages show, in one reader's language.
import type { Language, LocalizedText } from '../../db/schema.ts';
import { translate } from '../../i18n/index.ts';
import { Presenter } from './presenter.ts';
import type { EventRow } from '../../domains/programme/repository.ts';
import { localClock, localDate, longDate, toZonedIso } from '../../time.ts';
import { CHANGE_TYPES, countChanges, splitChanges, type ChangeDetails, type ChangedField, type ItemEdit, type Placement, type ReleaseChange } from '../../domains/releases/changelog.ts';
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
    if (start && end) parts.push(`${longDate(localDate(start, zone), this.presenter.dateLocale)}, ${localClock(start, zone)}–${localClock(end, zone)}`);
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
        ? change.fields.map((f) => this.field(f, change.details)).join(', ')
        : null,
    };
  }

  /** A changed field by its name, and for a part or outputs what changed about them: "partie (Première partie → Deuxième partie)". */
  field(field: ChangedField, details: ChangeDetails | undefined): string {
    const label = (text: LocalizedText | null) => this.presenter.text(text)?.text ?? translate(this.locale, 'changes.detail.noPart');
    if (field === 'part' && details?.part) {
      return translate(this.locale, 'changes.detail.part', { before: label(details.part.before), after: label(details.part.after) });
    }
    if (field === 'outputs' && details?.outputs) {
      const { added, removed } = details.outputs;
      const counts = [...(added.length > 0 ? [`+${added.length}`] : []), ...(removed.length > 0 ? [`\u2212${removed.length}`] : [])].join(', ');
      return translate(this.locale, 'changes.detail.outputs', { counts });
    }
    return translate(this.locale, `changes.field.${field}`);
  }

  /** A part renamed or retitled, an output reworded: one sentence each, names in the content's language. */
  edits(edits: ItemEdit[]): string[] {
    const text = (value: LocalizedText) => this.presenter.text(value)?.text ?? '';
    return edits.flatMap((edit) => {
      // Told in the reader's language: an edit of another language's text only reads the same before and after.
      if (edit.kind === 'output') {
        const [before, after] = [text(edit.before.statement), text(edit.after.statement)];
        return before === after ? [] : [translate(this.locale, 'changes.edit.outputReworded', { before, after })];
      }
      const sentences: string[] = [];
      const labelBefore = text(edit.before.label);
      const labelAfter = text(edit.after.label);
      if (labelBefore !== labelAfter) sentences.push(translate(this.locale, 'changes.edit.partRenamed', { before: labelBefore, after: labelAfter }));
      const titleBefore = text(edit.before.title);
      const titleAfter = text(edit.after.title);
      if (titleBefore !== titleAfter) sentences.push(translate(this.locale, 'changes.edit.partRetitled', { label: labelAfter, before: titleBefore, after: titleAfter }));
      return sentences;
    });
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
    const { changes, edits } = splitChanges(release.changes);
    const zone = this.event.timezone;
    const counts = countChanges(changes);
    const editLines = this.edits(edits);
    return {
      id: release.publicId,
      name: release.name,
      heading: translate(this.locale, 'changes.release', { name: release.name }),
      first: release.sequence === 1,
      firstSummary: translate(this.locale, 'changes.first', { count: counts.new }),
      releasedAt: {
        iso: toZonedIso(release.releasedAt, zone),
        label: `${longDate(localDate(release.releasedAt, zone), this.presenter.dateLocale)}, ${localClock(release.releasedAt, zone)}`,
      },
      note: this.presenter.paragraphs(release.note),
      actor: release.actor ?? null,
      summary: [
        ...CHANGE_TYPES.filter((t) => counts[t] > 0).map((t) => translate(this.locale, `changes.count.${t}`, { count: counts[t] })),
        ...(editLines.length > 0 ? [translate(this.locale, 'changes.count.edits', { count: editLines.length })] : []),
      ].join(' · '),
      groups: this.groups(changes),
      edits: editLines,
      /** Whether anything is listed (sessions or edits); else only general information changed. */
      hasEntries: changes.length > 0 || editLines.length > 0,
    };
  }
}
