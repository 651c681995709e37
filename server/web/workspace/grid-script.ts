// The words the grid's script (views/assets/grid.js) shows, in the page's language: the
// script has no catalogue of its own, the grid page hands it these. Placeholders ({room},
// {title}…) are left in; the script fills them with what it knows at the moment it speaks.
import type { Language } from '../../db/schema.ts';
import { translate } from '../../i18n/index.ts';

export function gridScriptMessages(locale: Language): Record<string, string> {
  return {
    snap: translate(locale, 'moves.snap'),
    snapOption: translate(locale, 'moves.snapOption'),
    hint: translate(locale, 'moves.hint'),
    resize: translate(locale, 'moves.resize'),
    grip: translate(locale, 'moves.grip'),
    place: translate(locale, 'moves.place'),
    placeAllRooms: translate(locale, 'moves.placeAllRooms'),
    target: translate(locale, 'moves.target'),
    conflictRoom: translate(locale, 'moves.conflictRoom'),
    conflictPerson: translate(locale, 'moves.conflictPerson'),
    conflictOrganisation: translate(locale, 'moves.conflictOrganisation'),
    conflictOutside: translate(locale, 'moves.conflictOutside'),
    noConflict: translate(locale, 'moves.noConflict'),
    cancelled: translate(locale, 'moves.cancelled'),
    saving: translate(locale, 'agenda.saving'),
    moved: translate(locale, 'moves.moved'),
    stale: translate(locale, 'moves.stale'),
    staleAnonymous: translate(locale, 'moves.staleAnonymous'),
    refused: translate(locale, 'moves.refused'),
    failed: translate(locale, 'moves.failed'),
    offline: translate(locale, 'moves.offline'),
    addTitle: translate(locale, 'moves.addTitle'),
    close: translate(locale, 'moves.close'),
    added: translate(locale, 'moves.added'),
  };
}
