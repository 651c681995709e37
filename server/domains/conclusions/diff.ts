// What changed between two revisions of conclusions, field by field, as plain text: the
// history page shows it word by word (diffWords), the API returns it as it is. Pure.
import { diffWords } from 'diff';
import type { ConclusionContent } from '../../db/schema.ts';

export const CONTENT_FIELDS = ['language', 'summary', 'keyPoints', 'challenges', 'recommendations', 'followUps', 'participants'] as const;
export type ContentField = (typeof CONTENT_FIELDS)[number];

export interface FieldChange {
  field: ContentField;
  before: string;
  after: string;
}

/** One field as text: lists one item a line, recommendations with their outputs' numbers. */
export function fieldText(content: ConclusionContent, field: ContentField, outputLabel: (id: string) => string): string {
  switch (field) {
    case 'language': return content.language;
    case 'summary': return content.summary;
    case 'challenges': return content.challenges;
    case 'participants': return content.participants === null ? '' : String(content.participants);
    case 'keyPoints': return content.keyPoints.map((p) => `- ${p}`).join('\n');
    case 'recommendations':
      return content.recommendations.map((r) => `- ${r.text}${r.outputs.length > 0 ? ` [${r.outputs.map(outputLabel).join(', ')}]` : ''}`).join('\n');
    case 'followUps':
      return content.followUps.map((f) => `- ${[f.action, f.owner, f.due ?? ''].filter((x) => x !== '').join(' | ')}`).join('\n');
  }
}

/** The fields that differ; against no previous revision, every field that is not empty. */
export function contentChanges(before: ConclusionContent | null, after: ConclusionContent, outputLabel: (id: string) => string): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of CONTENT_FIELDS) {
    const old = before ? fieldText(before, field, outputLabel) : '';
    const now = fieldText(after, field, outputLabel);
    if (old !== now) changes.push({ field, before: old, after: now });
  }
  return changes;
}

export interface DiffPart {
  text: string;
  kind: 'same' | 'added' | 'removed';
}

/** A field's change word by word. */
export function wordDiff(change: Pick<FieldChange, 'before' | 'after'>): DiffPart[] {
  return diffWords(change.before, change.after).map((part) => ({
    text: part.value,
    kind: part.added ? 'added' : part.removed ? 'removed' : 'same',
  }));
}
